select
    article_id,
    run_id,
    extracted_at
from {{ source('raw', 'extracted') }}
