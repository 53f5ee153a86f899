{#- Incremental scope, shared by the marts that grow with every run.

    Raw rows are append-only and stamped with the run that wrote them; an incremental model
    inserts all of a run's rows in one statement. So the runs a model has not built yet are
    the runs of its source absent from its own run column. They are looked up when the
    model compiles and written into the SQL as constants: DuckDB then filters the scans
    directly (and skips old row groups) instead of planning a semi-join, whose misestimate
    made it hash 21M figure rows at a million articles and run out of memory.
-#}
{% macro unbuilt_runs(source_relation, run_column='run_id') -%}
    {%- if not execute -%}
    (null)
    {%- else -%}
    {%- set lookup -%}
        select distinct run_id from {{ source_relation }}
        {%- if is_incremental() %}
        where run_id not in (select distinct {{ run_column }} from {{ this }})
        {%- endif %}
        order by 1
    {%- endset -%}
    {%- set runs = run_query(lookup).columns[0].values() -%}
    ({%- for run in runs -%}'{{ run | replace("'", "''") }}'{{ ", " if not loop.last }}{%- endfor -%}
    {%- if runs | length == 0 -%}null{%- endif -%})
    {%- endif -%}
{%- endmacro %}

{#- The dbt invocation that built a row: the audit and the publisher work on one batch. -#}
{% macro batch_id() -%}
    '{{ invocation_id }}'
{%- endmacro %}

{#- When the dbt invocation started: increases from one build to the next, so a model
    downstream of an incremental one can keep a watermark of what it has consumed. -#}
{% macro built_at() -%}
    '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}'::timestamp
{%- endmacro %}


{#- The batch's place in the warehouse's own order (raw.batch_sequence, passed by the
    pipeline as a var): watermarks compare it, never wall-clock time, so a run with a clock
    that is off cannot hide rows from the reporting marts. -#}
{% macro batch_seq() -%}
    {{ var('batch_seq') | int }}::bigint
{%- endmacro %}

{#- A mart's rows that may be published: not in a held or discarded batch. The reporting
    marts read the facts through this, so a held batch reaches no report until released. -#}
{% macro publishable(relation) -%}
    (select * from {{ relation }}
     where batch_id not in (select batch_id from raw.batches
                            where status in ('held', 'discarded') and batch_id is not null))
{%- endmacro %}
