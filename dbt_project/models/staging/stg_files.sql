select
    path,
    file_name,
    file_sha256,
    size_bytes,
    modified_at,
    status as file_status,
    article_id,
    run_id,
    seen_at
from {{ source('raw', 'files') }}
