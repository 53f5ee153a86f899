{#- Incremental scope, shared by the marts that grow with every run.

    Raw rows are append-only and stamped with the run that wrote them; an incremental model
    inserts all of a run's rows in one statement. So the runs a model has not built yet are
    the runs of its source absent from its own run column. Only run_id columns are scanned
    for that; the heavy joins then touch the new rows only.
-#}
{% macro unbuilt_runs(source_relation, run_column='run_id') -%}
    (select distinct run_id from {{ source_relation }}
    {%- if is_incremental() %}
     where run_id not in (select distinct {{ run_column }} from {{ this }})
    {%- endif -%}
    )
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

