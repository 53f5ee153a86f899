select
    article_id,
    sentence_idx,
    char_start,
    char_end,
    text as sentence_text,
    n_positive,
    n_negative,
    run_id
from {{ source('raw', 'sentences') }}
