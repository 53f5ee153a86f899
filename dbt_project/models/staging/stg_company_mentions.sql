select
    mention_id,
    article_id,
    sentence_idx,
    char_start,
    char_end,
    surface,
    alias,
    company_id,
    rule_id,
    run_id
from {{ source('raw', 'company_mentions') }}
