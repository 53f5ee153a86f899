-- The most recent value of each metric per company (by as-of date, then load order).
-- Incremental (delete+insert per company, metric and unit): a run only compares the figures
-- added since its watermark with the current winners of the keys they touch.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['company_id', 'metric_type', 'unit'],
) }}

with fresh as (
    select company_id, metric_type, unit, value, qualifier, as_of_date, surface, article_id,
           figure_id, char_start
    from {{ publishable(ref('fct_metrics')) }}
    where company_id is not null and value is not null
    {% if is_incremental() %}
      and batch_seq > {{ consumed_batch_seq() }}
    {% endif %}
),
candidates as (
    select * from fresh
    {% if is_incremental() %}
    union all
    select t.company_id, t.metric_type, t.unit, t.value, t.qualifier, t.as_of_date, t.surface,
           t.article_id, t.figure_id, t.char_start
    from {{ this }} t
    semi join (select distinct company_id, metric_type, unit from fresh) k
        using (company_id, metric_type, unit)
    {% endif %}
),
ranked as (
    select
        *,
        row_number() over (
            partition by company_id, metric_type, unit
            order by as_of_date desc nulls last, article_id, char_start
        ) as recency
    from candidates
)
select
    r.company_id,
    c.company_name,
    r.metric_type,
    r.unit,
    r.value,
    r.qualifier,
    r.as_of_date,
    r.surface,
    r.article_id,
    r.figure_id,
    r.char_start,
    (select max(batch_seq) from {{ ref('fct_metrics') }}) as source_batch_seq
from ranked r
join {{ ref('int_companies') }} c using (company_id)
where r.recency = 1
