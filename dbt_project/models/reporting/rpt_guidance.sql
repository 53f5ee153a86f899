-- Company guidance. Grain: one row per company and guidance measure (fct_metrics
-- metric_type guidance, metric_measure revenue / revenue_growth / ebit / ebitda / profit /
-- margin): the latest statement and the previous, different one, so a raise or a cut shows.
-- Order of statements, latest first: the article published last (undated ones last), then
-- the article id, then within the article the new value before the old one of a change
-- ("hebt die Prognose von 5 auf 7 Prozent": 7, then 5), then the first figure in the article.
-- The previous guidance is the first statement in that order after the latest whose range
-- or unit differs (a forecast repeated by several articles is one guidance).
-- Incremental (delete+insert per company and measure): a run recomputes the keys that
-- figures added since its watermark fall on.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['company_id', 'measure'],
) }}
{%- set latest = "as_of_date desc nulls last, article_id, is_superseded, char_start" %}

with figures as (
    select
        figure_id, article_id, company_id, metric_type, metric_measure as measure, value,
        value_low, unit, qualifier, period_year, surface, sentence_idx, char_start, char_end,
        evidence, as_of_date, batch_seq
    from {{ publishable(ref('fct_metrics')) }}
    where metric_type = 'guidance'
),
statements as (
    select * from figures
    where company_id is not null and measure is not null and value is not null
),
{% if is_incremental() %}
touched as (
    select distinct company_id, measure from statements
    where batch_seq > {{ consumed_batch_seq() }}
),
scope as (select s.* from statements s semi join touched t using (company_id, measure)),
{% else %}
scope as (select * from statements),
{% endif %}
pool as (select * from figures where article_id in (select article_id from scope)),
superseded as ({{ superseded_figures('scope', 'pool') }}),
ranked as (
    select
        *,
        row_number() over (partition by company_id, measure order by {{ latest }}) as recency,
        count(*) over (partition by company_id, measure) as n_statements
    from (
        select s.*, s.figure_id in (select figure_id from superseded) as is_superseded
        from scope s
    )
),
latest as (select * from ranked where recency = 1),
previous as (
    select
        r.company_id,
        r.measure,
        first(coalesce(r.value_low, r.value) order by r.recency) as previous_low,
        first(r.value order by r.recency) as previous_high,
        first(r.unit order by r.recency) as previous_unit,
        first(r.period_year order by r.recency) as previous_period_year,
        first(r.as_of_date order by r.recency) as previous_as_of_date,
        first(r.article_id order by r.recency) as previous_article_id,
        first(r.figure_id order by r.recency) as previous_figure_id
    from ranked r
    join latest l using (company_id, measure)
    where r.recency > 1
      and (r.value is distinct from l.value
           or r.value_low is distinct from l.value_low
           or r.unit is distinct from l.unit)
    group by r.company_id, r.measure
),
compared as (
    select
        l.*,
        p.* exclude (company_id, measure),
        coalesce(l.value_low, l.value) as guidance_low,
        -- Comparable: same unit, and no two different years stated.
        p.previous_high is not null and p.previous_unit = l.unit
            and coalesce(l.period_year = p.previous_period_year, true) as comparable,
        (coalesce(l.value_low, l.value) + l.value) / 2 as mid,
        (p.previous_low + p.previous_high) / 2 as previous_mid,
        l.value - coalesce(l.value_low, l.value) as width,
        p.previous_high - p.previous_low as previous_width
    from latest l
    left join previous p using (company_id, measure)
)
select
    g.company_id,
    c.company_name,
    g.measure,
    g.guidance_low,
    g.value as guidance_high,
    g.value_low is not null as is_range,
    g.unit,
    g.qualifier,
    g.period_year,
    g.as_of_date,
    g.article_id,
    g.figure_id,
    g.surface,
    g.evidence,
    g.previous_low,
    g.previous_high,
    g.previous_unit,
    g.previous_as_of_date,
    g.previous_article_id,
    g.previous_figure_id,
    case
        when not g.comparable then null
        when g.mid > g.previous_mid then 'raised'
        when g.mid < g.previous_mid then 'lowered'
        when g.width < g.previous_width then 'narrowed'
        when g.width > g.previous_width then 'widened'
    end as change,
    g.n_statements,
    (select max(batch_seq) from {{ ref('fct_metrics') }}) as source_batch_seq
from compared g
join {{ ref('int_companies') }} c using (company_id)
