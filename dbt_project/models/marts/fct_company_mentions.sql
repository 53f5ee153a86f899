-- Incremental: appends the mentions of the extraction runs not built yet.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set new_runs = unbuilt_runs(ref('stg_company_mentions')) %}

select
    m.mention_id,
    m.article_id,
    m.company_id,
    m.rule_id,
    a.published_date,
    m.surface,
    m.alias,
    m.sentence_idx,
    m.char_start,
    m.char_end,
    m.run_id,
    {{ batch_id() }} as batch_id,
    {{ batch_seq() }} as batch_seq
from {{ ref('stg_company_mentions') }} m
join {{ ref('stg_articles') }} a using (article_id)
where m.run_id in {{ new_runs }}
  and m.mention_id not in {{ rejected_keys('fct_company_mentions', new_runs) }}
