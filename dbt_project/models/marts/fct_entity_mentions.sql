-- People (with role), products, places and unknown organisation candidates, one row per
-- mention with its evidence. Incremental: appends the extraction runs not built yet.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set new_runs = unbuilt_runs(ref('stg_entities')) %}

select
    e.entity_id,
    e.article_id,
    e.entity_type,
    e.rule_id,
    e.name,
    e.role,
    e.company_id,
    a.published_date,
    e.sentence_idx,
    e.char_start,
    e.char_end,
    e.evidence,
    e.run_id,
    {{ batch_id() }} as batch_id,
    {{ batch_seq() }} as batch_seq,
    {{ built_at() }} as built_at
from {{ ref('stg_entities') }} e
join {{ ref('stg_articles') }} a using (article_id)
where e.run_id in {{ new_runs }}
  and e.entity_id not in {{ rejected_keys('fct_entity_mentions', new_runs) }}
