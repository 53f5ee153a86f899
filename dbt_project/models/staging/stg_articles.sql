select
    article_id,
    source_path,
    title,
    body,
    boilerplate,
    encoding,
    decode_errors,
    published_date,
    published_date_method,
    published_date_note,
    dateline_place,
    agency,
    length(body) as body_chars,
    run_id,
    loaded_at
from {{ source('raw', 'articles') }}
