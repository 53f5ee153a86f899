-- Coverage from the per-article company rows (one row per article and company), so the
-- aggregate reads a table a fraction of the size of the mentions.
with coverage as (
    select
        company_id,
        count(*) as n_articles,
        sum(n_mentions)::bigint as n_mentions,
        min(published_date) as first_mentioned_on,
        max(published_date) as last_mentioned_on,
        sum(n_positive) as n_positive,
        sum(n_negative) as n_negative
    from {{ ref('int_article_companies') }}
    -- Only articles that may be published count (none of a held or discarded batch).
    where article_id in (select article_id from {{ publishable(ref('dim_articles')) }})
    group by company_id
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
    c.source,
    c.isins,
    c.wkns,
    c.indices,
    c.discovered,
    coalesce(v.n_articles, 0) as n_articles,
    coalesce(v.n_mentions, 0) as n_mentions,
    v.first_mentioned_on,
    v.last_mentioned_on,
    {{ tone('v.n_positive', 'v.n_negative') }} as tone
from {{ ref('int_companies') }} c
left join coverage v using (company_id)
