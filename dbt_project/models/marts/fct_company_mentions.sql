select
    m.mention_id,
    m.article_id,
    m.company_id,
    a.published_date,
    m.surface,
    m.alias,
    m.sentence_idx,
    m.char_start,
    m.char_end,
    m.run_id
from {{ ref('stg_company_mentions') }} m
join {{ ref('stg_articles') }} a using (article_id)
