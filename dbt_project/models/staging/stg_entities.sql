select
    entity_id,
    article_id,
    sentence_idx,
    char_start,
    char_end,
    entity_type,
    rule_id,
    name,
    role,
    company_id,
    evidence,
    run_id
from {{ source('raw', 'entities') }}
