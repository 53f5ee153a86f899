-- Mentions per (article, company); the most mentioned company is the article's main one
-- (ties go to the company named first). An article's mentions all come from one
-- extraction run, so appending per unbuilt run keeps every article complete.
{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Looked up once when the model compiles (see macros/incremental.sql). -#}
{%- set new_runs = unbuilt_runs(ref('stg_company_mentions')) %}

with counts as (
    select
        m.article_id,
        m.company_id,
        m.run_id,
        count(*) as n_mentions,
        min(m.char_start) as first_char
    from {{ ref('stg_company_mentions') }} m
    where m.run_id in {{ new_runs }}
    group by m.article_id, m.company_id, m.run_id
),
-- Tone around a company: lexicon hits in the sentences that name it (each sentence once).
tone as (
    select t.article_id, t.company_id, sum(s.n_positive) as n_positive, sum(s.n_negative) as n_negative
    from (
        select distinct article_id, company_id, sentence_idx
        from {{ ref('stg_company_mentions') }}
        where run_id in {{ new_runs }}
    ) t
    join {{ ref('stg_sentences') }} s using (article_id, sentence_idx)
    where s.run_id in {{ new_runs }}
    group by t.article_id, t.company_id
)
select
    c.*,
    a.published_date,
    row_number() over (
        partition by c.article_id order by c.n_mentions desc, c.first_char asc
    ) = 1 as is_main_company,
    coalesce(t.n_positive, 0)::integer as n_positive,
    coalesce(t.n_negative, 0)::integer as n_negative
from counts c
join {{ ref('stg_articles') }} a using (article_id)
left join tone t using (article_id, company_id)
