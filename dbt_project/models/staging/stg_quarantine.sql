select
    path,
    file_name,
    reason,
    detail,
    size_bytes,
    run_id,
    quarantined_at
from {{ source('raw', 'quarantine') }}
