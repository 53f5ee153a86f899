-- One row per distinct article. Incremental (delete+insert on article_id): a run builds the
-- articles of the extraction runs not built yet, and re-derives the version columns of
-- older articles whose path received a newer file since the last build.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='article_id',
) }}
{#- Looked up once when the model compiles (see macros/incremental.sql). -#}
{%- set new_runs = unbuilt_runs(ref('stg_extractions'), 'extraction_run_id') %}

with new_articles as (
    select article_id, run_id as extraction_run_id
    from {{ ref('stg_extractions') }}
    where run_id in {{ new_runs }}
),
{% if is_incremental() %}
-- Older articles at a path that has seen a file in a run no finished build has consumed
-- yet (the warehouse's own record of builds, raw.batches, never the clock).
touched as (
    select distinct f.article_id
    from {{ ref('stg_files') }} f
    where f.article_id is not null
      and f.path in (
          select path from {{ ref('stg_files') }}
          where run_id not in (select run_id from {{ source('raw', 'batches') }})
      )
      and f.article_id not in (select article_id from new_articles)
),
scope as (
    select article_id, extraction_run_id, true as is_new from new_articles
    union all
    select d.article_id, d.extraction_run_id, false
    from {{ this }} d
    where d.article_id in (select article_id from touched)
),
{% else %}
scope as (select article_id, extraction_run_id, true as is_new from new_articles),
{% endif %}
-- A changed file is a new version of its article: same path, new prose, new article_id.
-- Old versions stay; an article is the latest version if it is the newest one at any of
-- the paths it was loaded from (a deleted file changes nothing: rows are never removed).
loads as (
    select path, article_id, min(seen_at) as first_seen
    from {{ ref('stg_files') }}
    where file_status in ('loaded', 'duplicate')
      and path in (
          select path from {{ ref('stg_files') }}
          where article_id in (select article_id from scope)
      )
    group by path, article_id
),
ranked as (
    select
        *,
        row_number() over (partition by path order by first_seen desc, article_id) as recency,
        row_number() over (partition by path order by first_seen, article_id) as version_no,
        max(first_seen) over (partition by path) as path_last_seen
    from loads
),
versions as (
    select
        article_id,
        bool_or(recency = 1) as is_latest_version,
        max(version_no) as version_no,
        count(distinct path) as n_sources,
        max(path_last_seen) as last_file_seen_at
    from ranked
    where article_id in (select article_id from scope)
    group by article_id
),
-- Counts of new articles come from their own runs' rows; older ones keep theirs.
figures as (
    select article_id, count(*) as n_figures
    from {{ ref('stg_figures') }}
    where run_id in {{ new_runs }}
    group by article_id
),
mentions as (
    select article_id, sum(n_mentions) as n_mentions, count(*) as n_companies
    from {{ ref('int_article_companies') }}
    where run_id in {{ new_runs }}
    group by article_id
),
main as (
    select article_id, company_id
    from {{ ref('int_article_companies') }}
    where run_id in {{ new_runs }} and is_main_company
),
tone as (
    select article_id, sum(n_positive) as n_positive, sum(n_negative) as n_negative
    from {{ ref('stg_sentences') }}
    where run_id in {{ new_runs }}
    group by article_id
),
events as (
    select article_id, count(*) as n_events
    from {{ ref('stg_events') }}
    where run_id in {{ new_runs }}
    group by article_id
),
new_rows as (
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
        a.decode_errors,
        a.dateline_place,
        a.agency,
        a.body_chars,
        coalesce(f.n_figures, 0) as n_figures,
        coalesce(m.n_mentions, 0)::bigint as n_mentions,
        coalesce(m.n_companies, 0) as n_companies,
        coalesce(e.n_events, 0) as n_events,
        coalesce(t.n_positive, 0)::integer as n_positive,
        coalesce(t.n_negative, 0)::integer as n_negative,
        {{ tone('t.n_positive', 't.n_negative') }} as tone,
        a.body,
        a.boilerplate,
        a.run_id,
        a.loaded_at,
        s.extraction_run_id,
        v.last_file_seen_at,
        {{ batch_id() }} as batch_id,
        {{ batch_seq() }} as batch_seq
    from scope s
    join {{ ref('stg_articles') }} a using (article_id)
    left join main on main.article_id = s.article_id
    left join figures f on f.article_id = s.article_id
    left join mentions m on m.article_id = s.article_id
    left join events e on e.article_id = s.article_id
    left join tone t on t.article_id = s.article_id
    left join versions v on v.article_id = s.article_id
    where s.is_new
)
select * from new_rows
{% if is_incremental() %}
union all by name
select
    d.* exclude (is_latest_version, version_no, n_sources, last_file_seen_at, batch_id, batch_seq),
    v.is_latest_version,
    v.version_no,
    v.n_sources,
    v.last_file_seen_at,
    {{ batch_id() }} as batch_id,
    {{ batch_seq() }} as batch_seq
from {{ this }} d
join versions v using (article_id)
where d.article_id in (select article_id from scope where not is_new)
{% endif %}
