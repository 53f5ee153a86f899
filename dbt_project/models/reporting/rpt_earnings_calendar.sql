-- One row per company and announced earnings date, however many articles repeat it.
select
    e.company_id,
    c.company_name,
    c.ticker,
    e.event_date as earnings_date,
    min(e.alt_date) as alternative_date,
    count(distinct e.article_id) as n_articles,
    min(e.published_date) as first_reported_on,
    max(e.published_date) as last_reported_on,
    first(e.evidence order by e.published_date desc nulls last, e.event_id) as latest_evidence
from {{ ref('fct_events') }} e
join {{ ref('dim_companies') }} c using (company_id)
where e.event_type = 'earnings_release' and e.event_date is not null
group by e.company_id, c.company_name, c.ticker, e.event_date
