-- The most recent value of each metric per company (by as-of date, then load order).
with ranked as (
    select
        m.*,
        row_number() over (
            partition by m.company_id, m.metric_type, m.unit
            order by m.as_of_date desc nulls last, m.article_id, m.char_start
        ) as recency
    from {{ ref('fct_metrics') }} m
    where m.company_id is not null
)
select
    r.company_id,
    c.company_name,
    r.metric_type,
    r.unit,
    r.value,
    r.qualifier,
    r.as_of_date,
    r.surface,
    r.article_id,
    r.figure_id
from ranked r
join {{ ref('dim_companies') }} c using (company_id)
where r.recency = 1
