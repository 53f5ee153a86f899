-- Mentions per (article, company); the most mentioned company is the article's main one
-- (ties go to the company named first). An article's mentions all come from one
-- extraction run, so appending per unbuilt run keeps every article complete.
{{ config(materialized='incremental', incremental_strategy='append') }}

with counts as (
    select
        m.article_id,
        m.company_id,
        m.run_id,
        count(*) as n_mentions,
        min(m.char_start) as first_char
    from {{ ref('stg_company_mentions') }} m
    where m.run_id in {{ unbuilt_runs(ref('stg_company_mentions')) }}
    group by m.article_id, m.company_id, m.run_id
)
select
    c.*,
    a.published_date,
    row_number() over (
        partition by c.article_id order by c.n_mentions desc, c.first_char asc
    ) = 1 as is_main_company
from counts c
join {{ ref('stg_articles') }} a using (article_id)
