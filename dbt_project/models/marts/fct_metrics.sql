select * from {{ ref('int_metric_figures') }}
