with coverage as (
    select
        m.company_id,
        count(distinct m.article_id) as n_articles,
        count(*) as n_mentions,
        min(a.published_date) as first_mentioned_on,
        max(a.published_date) as last_mentioned_on
    from {{ ref('stg_company_mentions') }} m
    join {{ ref('stg_articles') }} a using (article_id)
    group by m.company_id
)
select
    c.company_id,
    c.company_name,
    c.aliases,
    c.ticker,
    c.isin,
    c.country,
    c.sector,
    c.parent_company_id,
    coalesce(v.n_articles, 0) as n_articles,
    coalesce(v.n_mentions, 0) as n_mentions,
    v.first_mentioned_on,
    v.last_mentioned_on
from {{ ref('stg_companies') }} c
left join coverage v using (company_id)
