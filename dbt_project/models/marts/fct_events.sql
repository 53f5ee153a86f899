-- Incremental: appends the events of the extraction runs not built yet (an event's amount
-- figure comes from the same article, so the same runs). An analyst_rating event carries
-- its reading (broker, action, rating, targets; null for other types). Columns added here
-- reach an existing table by on_schema_change: append_new_columns (older rows hold null).
{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Looked up once when the model compiles (see macros/incremental.sql). -#}
{%- set new_runs = unbuilt_runs(ref('stg_events')) %}

with figures as (
    select figure_id, value, unit
    from {{ ref('stg_figures') }}
    where run_id in {{ new_runs }}
)
select
    e.event_id,
    e.article_id,
    e.event_type,
    e.rule_id,
    e.event_date,
    e.alt_date,
    e.event_status,
    e.company_id,
    e.counterpart_company_id,
    e.figure_id,
    f.value as amount_value,
    f.unit as amount_unit,
    e.broker,
    e.broker_company_id,
    e.rating_action,
    e.rating_word,
    e.rating,
    e.price_target,
    e.previous_target,
    e.target_currency,
    a.published_date,
    e.evidence,
    e.sentence_idx,
    e.char_start,
    e.char_end,
    e.run_id,
    {{ batch_id() }} as batch_id,
    {{ batch_seq() }} as batch_seq,
    {{ built_at() }} as built_at
from {{ ref('stg_events') }} e
join {{ ref('stg_articles') }} a using (article_id)
left join figures f using (figure_id)
where e.run_id in {{ new_runs }}
  and e.event_id not in {{ rejected_keys('fct_events', new_runs) }}
