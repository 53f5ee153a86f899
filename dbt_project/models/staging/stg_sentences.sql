select
    article_id,
    sentence_idx,
    char_start,
    char_end,
    text as sentence_text,
    run_id
from {{ source('raw', 'sentences') }}
