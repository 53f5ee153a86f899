-- Figures that are measurements (dates are kept in the events they date), with the
-- article's publication date as their as-of date and the sentence as evidence (carried by
-- the extraction, so no join with the sentences).
-- Incremental: each run appends the figures of the extraction runs not built yet; every
-- join is restricted to those runs, so the cost follows the new rows, not the table.
-- Figures a row check rejected (marts.fct_rejected_rows) are left out.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set new_runs = unbuilt_runs(ref('stg_figures')) %}

with figures as (
    select * from {{ ref('stg_figures') }}
    where run_id in {{ new_runs }} and kind <> 'date'
      and figure_id not in {{ rejected_keys('fct_metrics', new_runs) }}
)
select
    f.figure_id,
    f.article_id,
    f.company_id,
    f.metric_type,
    f.metric_measure,
    f.rule_id,
    f.kind,
    f.value,
    f.value_low,
    f.range_type,
    f.unit,
    f.currency,
    f.scale,
    f.qualifier,
    f.count_noun,
    f.period,
    f.period_quarter,
    f.period_year,
    f.period_is_fiscal,
    a.published_date as as_of_date,
    f.surface,
    f.sentence_idx,
    f.char_start,
    f.char_end,
    f.evidence,
    f.run_id,
    {{ batch_id() }} as batch_id,
    {{ batch_seq() }} as batch_seq,
    {{ built_at() }} as built_at
from figures f
join {{ ref('stg_articles') }} a using (article_id)
