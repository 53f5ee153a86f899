select
    event_id,
    article_id,
    sentence_idx,
    char_start,
    char_end,
    event_type,
    rule_id,
    event_date,
    alt_date,
    status as event_status,
    company_id,
    counterpart_company_id,
    figure_id,
    evidence,
    run_id
from {{ source('raw', 'events') }}
