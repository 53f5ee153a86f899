-- Mentions per (article, company); the most mentioned company is the article's main one
-- (ties go to the company named first).
with counts as (
    select
        article_id,
        company_id,
        count(*) as n_mentions,
        min(char_start) as first_char
    from {{ ref('stg_company_mentions') }}
    group by article_id, company_id
)
select
    *,
    row_number() over (
        partition by article_id order by n_mentions desc, first_char asc
    ) = 1 as is_main_company
from counts
