-- The row-level checks (macros/row_checks.sql) over the staging rows of the runs not checked
-- yet (per source, the same runs its mart builds now): one row per failed check, plus one row
-- per run with check_name null that records the run as checked (so a run without
-- rejections is not checked again each night).
-- The marts leave out every row named here; marts.fct_rejected_rows shows them to analysts.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set checks = row_checks() %}
{%- set sources = row_check_sources() %}
{%- set new_runs = {} %}
{%- for table_name, source in sources.items() %}
{%- do new_runs.update({table_name: unbuilt_runs(ref(source.model))}) %}
{%- endfor %}

with
{%- for table_name, source in sources.items() %}
{{ table_name }}_failed as (
    {%- for check in checks[table_name] %}
    select
        '{{ table_name }}' as table_name,
        r.{{ source.key }} as row_key,
        r.article_id,
        r.sentence_idx,
        '{{ check.name }}' as check_name,
        {{ check.reason }} as reason,
        {{ source.evidence }} as evidence,
        r.run_id
    from {{ ref(source.model) }} r
    join {{ ref('stg_articles') }} a using (article_id)
    where r.run_id in {{ new_runs[table_name] }} and {{ source.filter }} and ({{ check.fails }})
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{%- endfor %}
checked as (
    select distinct null::varchar as table_name, null::varchar as row_key, null::varchar as article_id,
        null::integer as sentence_idx, null::varchar as check_name, null::varchar as reason,
        null::varchar as evidence, run_id
    from (
        {%- for table_name, source in sources.items() %}
        select distinct run_id from {{ ref(source.model) }} where run_id in {{ new_runs[table_name] }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    )
)
select
    md5(coalesce(table_name, '') || '|' || coalesce(row_key, run_id) || '|' || coalesce(check_name, '')) as rejection_id,
    *,
    {{ batch_id() }} as batch_id,
    {{ batch_seq() }} as batch_seq
from (
    {%- for table_name in sources %}
    select * from {{ table_name }}_failed
    union all
    {%- endfor %}
    select * from checked
)
