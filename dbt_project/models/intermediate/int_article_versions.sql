-- A changed file is a new version of its article: same path, new prose, new article_id.
-- Old versions stay; an article is the latest version if it is the newest one at any of
-- the paths it was loaded from (a deleted file changes nothing: rows are never removed).
with loads as (
    select path, article_id, min(seen_at) as first_seen
    from {{ ref('stg_files') }}
    where article_id is not null and file_status in ('loaded', 'duplicate')
    group by path, article_id
),
ranked as (
    select
        *,
        row_number() over (partition by path order by first_seen desc, article_id) as recency,
        row_number() over (partition by path order by first_seen, article_id) as version_no,
        count(*) over (partition by path) as versions_at_path
    from loads
)
select
    article_id,
    bool_or(recency = 1) as is_latest_version,
    max(version_no) as version_no,
    max(versions_at_path) as versions_at_path,
    count(distinct path) as n_sources,
    min(first_seen) as first_seen_at
from ranked
group by article_id
