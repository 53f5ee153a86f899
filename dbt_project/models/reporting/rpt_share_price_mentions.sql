-- Share prices quoted per company and day (the article's publication date).
select
    m.company_id,
    c.company_name,
    m.as_of_date,
    m.unit as currency,
    count(*) as n_mentions,
    min(m.value) as min_price,
    max(m.value) as max_price,
    avg(m.value) as avg_price,
    list(distinct m.article_id order by m.article_id) as article_ids
from {{ ref('fct_metrics') }} m
join {{ ref('dim_companies') }} c using (company_id)
where m.metric_type = 'share_price'
group by m.company_id, c.company_name, m.as_of_date, m.unit
