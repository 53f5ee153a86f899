-- Share prices quoted per company and day (the article's publication date; figures from
-- articles without a known date are in fct_metrics only).
-- Incremental (delete+insert per company, day and currency): a run recomputes only the days
-- that figures added since its watermark fall on.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['company_id', 'as_of_date', 'currency'],
) }}

with prices as (
    select company_id, as_of_date, unit as currency, value, article_id, batch_seq
    from {{ publishable(ref('fct_metrics')) }}
    where metric_type = 'share_price' and company_id is not null and as_of_date is not null
),
{% if is_incremental() %}
touched as (
    select distinct company_id, as_of_date, currency from prices
    where batch_seq > {{ consumed_batch_seq() }}
),
scope as (select p.* from prices p semi join touched t using (company_id, as_of_date, currency)),
{% else %}
scope as (select * from prices),
{% endif %}
grouped as (
    select
        company_id,
        as_of_date,
        currency,
        count(*) as n_mentions,
        min(value) as min_price,
        max(value) as max_price,
        avg(value) as avg_price,
        list(distinct article_id order by article_id) as article_ids
    from scope
    group by company_id, as_of_date, currency
)
select
    g.company_id,
    c.company_name,
    g.as_of_date,
    g.currency,
    g.n_mentions,
    g.min_price,
    g.max_price,
    g.avg_price,
    g.article_ids,
    (select max(batch_seq) from {{ ref('fct_metrics') }}) as source_batch_seq
from grouped g
join {{ ref('int_companies') }} c using (company_id)
