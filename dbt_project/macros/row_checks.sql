{#- Row-level checks: a row that fails one never reaches its mart; it goes to
    marts.fct_rejected_rows with the check's name and reason instead (one bad sentence must
    not stop a night). Each check: the mart it guards, its name (the dbt test or GX
    expectation it stands in front of), the SQL condition under which a row FAILS (over the
    columns of that mart's staging rows `r` and their article `a`), and a reason for analysts.
    The dbt tests and GX suites stay: after these checks they must pass, and a failure there
    is a batch-level finding (the batch is held), not a lost night.
-#}
{% macro row_checks() -%}
{%- set units = var('currencies') + var('other_units') -%}
{{ return({
  'fct_metrics': [
    {'name': 'fct_metrics.unit.accepted_values',
     'fails': "r.unit is null or r.unit not in " ~ sql_values(units),
     'reason': "'unit ' || coalesce(r.unit, 'null') || ' is not an accepted unit'"},
    {'name': 'fct_metrics.metric_type.accepted_values',
     'fails': "r.metric_type is null or r.metric_type not in " ~ sql_values(var('metric_types')),
     'reason': "'metric type ' || coalesce(r.metric_type, 'null') || ' is not in the taxonomy'"},
    {'name': 'fct_metrics.metric_measure.accepted_values',
     'fails': "r.metric_measure is not null and r.metric_measure not in " ~ sql_values(var('metric_measures')),
     'reason': "'measure ' || r.metric_measure || ' is not an accepted guidance measure'"},
    {'name': 'fct_metrics.period.accepted_values',
     'fails': "r.period is not null and r.period not in " ~ sql_values(var('periods')),
     'reason': "'period ' || r.period || ' is not an accepted period'"},
    {'name': 'fct_metrics.value.not_null',
     'fails': "r.value is null and r.kind <> 'qualitative'",
     'reason': "'a measured figure without a value'"},
    {'name': 'fct_metrics.offsets_round_trip',
     'fails': "substr(a.body, r.char_start + 1, r.char_end - r.char_start) is distinct from r.surface",
     'reason': "'body[char_start:char_end] is not the surface ' || r.surface"},
    {'name': 'fct_metrics.company_id.relationships',
     'fails': "r.company_id is not null and r.company_id not in (select company_id from " ~ ref('int_companies') ~ ")",
     'reason': "'company ' || r.company_id || ' is not in the company dimension'"},
    {'name': 'share_prices.company_id.not_null',
     'fails': "r.metric_type = 'share_price' and r.company_id is null",
     'reason': "'a share price without a subject company'"},
    {'name': 'share_prices.value.between',
     'fails': "r.metric_type = 'share_price' and not coalesce(r.value between 0.01 and 1000000, false)",
     'reason': "'share price ' || coalesce(r.value::varchar, 'null') || ' outside [0.01, 1000000]'"},
    {'name': 'percentages.value.between',
     'fails': "r.unit = 'percent' and not coalesce(r.value between -100 and 100000, false)",
     'reason': "'percentage ' || coalesce(r.value::varchar, 'null') || ' outside [-100, 100000]'"},
    {'name': 'rsi.value.between',
     'fails': "r.metric_type = 'rsi' and not coalesce(r.value between 0 and 100, false)",
     'reason': "'RSI ' || coalesce(r.value::varchar, 'null') || ' outside [0, 100]'"},
  ],
  'fct_events': [
    {'name': 'fct_events.event_type.accepted_values',
     'fails': "r.event_type is null or r.event_type not in " ~ sql_values(var('event_types')),
     'reason': "'event type ' || coalesce(r.event_type, 'null') || ' is not in the taxonomy'"},
    {'name': 'fct_events.rating_action.accepted_values',
     'fails': "r.rating_action is not null and r.rating_action not in " ~ sql_values(var('rating_actions')),
     'reason': "'rating action ' || r.rating_action || ' is not accepted'"},
    {'name': 'fct_events.rating.accepted_values',
     'fails': "r.rating is not null and r.rating not in " ~ sql_values(var('ratings')),
     'reason': "'rating ' || r.rating || ' is not buy, hold or sell'"},
    {'name': 'fct_events.target_currency.accepted_values',
     'fails': "r.target_currency is not null and r.target_currency not in " ~ sql_values(var('currencies')),
     'reason': "'target currency ' || r.target_currency || ' is not an accepted currency'"},
    {'name': 'fct_events.evidence.not_null',
     'fails': "r.evidence is null",
     'reason': "'an event without its evidence sentence'"},
    {'name': 'fct_events.offsets_round_trip',
     'fails': "substr(a.body, r.char_start + 1, r.char_end - r.char_start) is distinct from r.evidence",
     'reason': "'body[char_start:char_end] is not the evidence sentence'"},
    {'name': 'fct_events.company_id.relationships',
     'fails': "(r.company_id is not null and r.company_id not in (select company_id from " ~ ref('int_companies') ~ "))"
              ~ " or (r.counterpart_company_id is not null and r.counterpart_company_id not in (select company_id from " ~ ref('int_companies') ~ "))",
     'reason': "'company ' || coalesce(r.company_id, '') || '/' || coalesce(r.counterpart_company_id, '') || ' is not in the company dimension'"},
  ],
  'fct_entity_mentions': [
    {'name': 'fct_entity_mentions.entity_type.accepted_values',
     'fails': "r.entity_type is null or r.entity_type not in " ~ sql_values(var('entity_types')),
     'reason': "'entity type ' || coalesce(r.entity_type, 'null') || ' is not accepted'"},
    {'name': 'fct_entity_mentions.offsets_round_trip',
     'fails': "substr(a.body, r.char_start + 1, r.char_end - r.char_start) is distinct from r.name",
     'reason': "'body[char_start:char_end] is not the name ' || r.name"},
  ],
  'fct_company_mentions': [
    {'name': 'fct_company_mentions.offsets_round_trip',
     'fails': "substr(a.body, r.char_start + 1, r.char_end - r.char_start) is distinct from r.surface",
     'reason': "'body[char_start:char_end] is not the surface ' || r.surface"},
    {'name': 'fct_company_mentions.company_id.relationships',
     'fails': "r.company_id is null or r.company_id not in (select company_id from " ~ ref('int_companies') ~ ")",
     'reason': "'company ' || coalesce(r.company_id, 'null') || ' is not in the company dimension'"},
  ],
}) }}
{%- endmacro %}

{#- The staging model, key and evidence column behind each guarded mart. -#}
{% macro row_check_sources() -%}
{{ return({
  'fct_metrics': {'model': 'stg_figures', 'key': 'figure_id', 'evidence': 'r.evidence',
                  'filter': "r.kind <> 'date'"},
  'fct_events': {'model': 'stg_events', 'key': 'event_id', 'evidence': 'r.evidence', 'filter': 'true'},
  'fct_entity_mentions': {'model': 'stg_entities', 'key': 'entity_id', 'evidence': 'r.evidence', 'filter': 'true'},
  'fct_company_mentions': {'model': 'stg_company_mentions', 'key': 'mention_id', 'evidence': 'null', 'filter': 'true'},
}) }}
{%- endmacro %}

{% macro sql_values(values) -%}
({%- for v in values -%}'{{ v | replace("'", "''") }}'{{ ", " if not loop.last }}{%- endfor -%})
{%- endmacro %}

{#- Rows of `table_name` (a guarded mart) in the given runs that a row check rejected. -#}
{% macro rejected_keys(table_name, runs) -%}
(select row_key from {{ ref('int_row_checks') }}
 where table_name = '{{ table_name }}' and check_name is not null and run_id in {{ runs }})
{%- endmacro %}
