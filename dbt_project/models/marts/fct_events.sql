select
    e.event_id,
    e.article_id,
    e.event_type,
    e.event_date,
    e.alt_date,
    e.event_status,
    e.company_id,
    e.counterpart_company_id,
    e.figure_id,
    f.value as amount_value,
    f.unit as amount_unit,
    a.published_date,
    e.evidence,
    e.sentence_idx,
    e.char_start,
    e.char_end,
    e.run_id
from {{ ref('stg_events') }} e
join {{ ref('stg_articles') }} a using (article_id)
left join {{ ref('stg_figures') }} f using (figure_id)
