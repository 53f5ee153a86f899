with figures as (
    select article_id, count(*) as n_figures
    from {{ ref('stg_figures') }}
    group by article_id
),
mentions as (
    select article_id, count(*) as n_mentions, count(distinct company_id) as n_companies
    from {{ ref('stg_company_mentions') }}
    group by article_id
),
events as (
    select article_id, count(*) as n_events
    from {{ ref('stg_events') }}
    group by article_id
)
select
    a.article_id,
    a.title,
    a.published_date,
    a.published_date_method,
    a.published_date_note,
    main.company_id as main_company_id,
    coalesce(v.is_latest_version, true) as is_latest_version,
    coalesce(v.version_no, 1) as version_no,
    coalesce(v.n_sources, 1) as n_sources,
    a.source_path,
    a.encoding,
    a.body_chars,
    coalesce(f.n_figures, 0) as n_figures,
    coalesce(m.n_mentions, 0) as n_mentions,
    coalesce(m.n_companies, 0) as n_companies,
    coalesce(e.n_events, 0) as n_events,
    a.body,
    a.boilerplate,
    a.run_id,
    a.loaded_at
from {{ ref('stg_articles') }} a
left join {{ ref('int_article_companies') }} main
    on main.article_id = a.article_id and main.is_main_company
left join figures f on f.article_id = a.article_id
left join mentions m on m.article_id = a.article_id
left join events e on e.article_id = a.article_id
left join {{ ref('int_article_versions') }} v on v.article_id = a.article_id
