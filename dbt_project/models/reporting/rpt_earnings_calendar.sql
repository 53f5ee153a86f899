-- One row per company and announced earnings date, however many articles repeat it.
-- Incremental (delete+insert per company and date): a run recomputes only the dates that
-- events added since its watermark mention.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['company_id', 'earnings_date'],
) }}

with earnings as (
    select * from {{ publishable(ref('fct_events')) }}
    where event_type = 'earnings_release' and event_date is not null and company_id is not null
),
{% if is_incremental() %}
touched as (
    select distinct company_id, event_date from earnings
    where batch_seq > {{ consumed_batch_seq() }}
),
scope as (select e.* from earnings e semi join touched t using (company_id, event_date)),
{% else %}
scope as (select * from earnings),
{% endif %}
grouped as (
    select
        e.company_id,
        e.event_date as earnings_date,
        min(e.alt_date) as alternative_date,
        count(distinct e.article_id) as n_articles,
        min(e.published_date) as first_reported_on,
        max(e.published_date) as last_reported_on,
        first(e.evidence order by e.published_date desc nulls last, e.event_id)
            as latest_evidence
    from scope e
    group by e.company_id, e.event_date
)
select
    g.company_id,
    c.company_name,
    c.ticker,
    g.earnings_date,
    g.alternative_date,
    g.n_articles,
    g.first_reported_on,
    g.last_reported_on,
    g.latest_evidence,
    (select max(batch_seq) from {{ ref('fct_events') }}) as source_batch_seq
from grouped g
join {{ ref('int_companies') }} c using (company_id)
