-- Curation list: names that look like organisations ("Startup Manus", "Entwickler Zhipu")
-- but are in no gazetteer, with how often and where they occur. Add the real ones to
-- dbt_project/seeds/companies.csv; the rest is noise the extractor keeps rather than drops.
select
    e.name,
    count(*) as n_mentions,
    count(distinct e.article_id) as n_articles,
    min(e.published_date) as first_seen_on,
    max(e.published_date) as last_seen_on,
    first(e.evidence order by e.published_date desc nulls last, e.entity_id) as example_evidence,
    first(e.article_id order by e.published_date desc nulls last, e.entity_id) as example_article_id
from {{ publishable(ref('fct_entity_mentions')) }} e
where e.entity_type = 'organisation_candidate'
group by e.name
