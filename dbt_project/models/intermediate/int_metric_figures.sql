-- Figures that are measurements (dates are kept in the events they date), with the
-- article's publication date as their as-of date and the sentence as evidence.
select
    f.figure_id,
    f.article_id,
    f.company_id,
    f.metric_type,
    f.kind,
    f.value,
    f.unit,
    f.currency,
    f.scale,
    f.qualifier,
    f.count_noun,
    a.published_date as as_of_date,
    f.surface,
    f.sentence_idx,
    f.char_start,
    f.char_end,
    s.sentence_text as evidence,
    f.run_id
from {{ ref('stg_figures') }} f
join {{ ref('stg_articles') }} a using (article_id)
left join {{ ref('stg_sentences') }} s using (article_id, sentence_idx)
where f.kind <> 'date'
