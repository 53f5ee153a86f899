-- Analyst ratings. Grain: one row per rated company and broker, from the analyst_rating
-- events of fct_events: the broker's latest rating and its latest price target (each the
-- latest note that states one). The company's consensus over its brokers (counts of buy /
-- hold / sell over each broker's latest rating, the median of their latest targets and its
-- upside to the company's latest quoted share price) is repeated on each of the company's
-- rows: take one row per company (or `select distinct` those columns) before summing them.
-- Latest: the article published last (undated ones last), then the article id; an article's
-- sentences on the same broker and company are one note (headline and body), read from its
-- first sentence on (the lead states the news; a later one may recall an older rating).
-- Ratings that name no broker ("Analysten empfehlen ...") or no rated company stay in
-- fct_events only.
-- Incremental (delete+insert per company): a run recomputes the companies that facts added
-- since its watermark rate or quote with a share price.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['company_id'],
) }}
{%- set latest = "published_date desc nulls last, article_id" %}

with ratings as (
    select
        event_id, article_id, company_id, broker, broker_company_id, rating_action, rating_word,
        rating, price_target, previous_target, target_currency, published_date, char_start,
        evidence, batch_seq
    from {{ publishable(ref('fct_events')) }}
    where event_type = 'analyst_rating' and company_id is not null and broker is not null
),
{% if is_incremental() %}
touched as (
    select company_id from ratings where batch_seq > {{ consumed_batch_seq() }}
    union
    select company_id from {{ publishable(ref('fct_metrics')) }}
    where metric_type = 'share_price' and company_id is not null
      and batch_seq > {{ consumed_batch_seq() }}
),
scope as (select r.* from ratings r semi join touched t using (company_id)),
{% else %}
scope as (select * from ratings),
{% endif %}
-- A broker's note as one article reports it: headline and body sentences are one note. Its
-- rating, target and action are the first the article states (an action other than the
-- default confirm first), its previous target the first stated beside that target.
sentences as (
    select
        *,
        first_value(price_target ignore nulls) over (
            partition by company_id, broker, article_id order by char_start
            rows between unbounded preceding and unbounded following
        ) as note_target
    from scope
),
notes as (
    select
        company_id,
        broker,
        article_id,
        any_value(published_date) as published_date,
        first(broker_company_id order by char_start)
            filter (where broker_company_id is not null) as broker_company_id,
        first(rating order by char_start) filter (where rating is not null) as rating,
        first(rating_word order by char_start) filter (where rating is not null) as rating_word,
        any_value(note_target) as price_target,
        first(previous_target order by char_start)
            filter (where price_target = note_target and previous_target is not null)
            as previous_target,
        first(target_currency order by char_start)
            filter (where price_target = note_target) as target_currency,
        coalesce(
            first(rating_action order by char_start) filter (where rating_action <> 'confirm'),
            first(rating_action order by char_start)
        ) as rating_action,
        first(event_id order by char_start) as event_id,
        first(evidence order by char_start) as evidence
    from sentences
    group by company_id, broker, article_id
),
brokers as (
    select
        company_id,
        broker,
        first(broker_company_id order by {{ latest }})
            filter (where broker_company_id is not null) as broker_company_id,
        first(rating order by {{ latest }}) filter (where rating is not null) as rating,
        first(rating_word order by {{ latest }}) filter (where rating is not null) as rating_word,
        first(published_date order by {{ latest }}) filter (where rating is not null) as rated_on,
        first(article_id order by {{ latest }})
            filter (where rating is not null) as rating_article_id,
        first(price_target order by {{ latest }})
            filter (where price_target is not null) as price_target,
        first(previous_target order by {{ latest }})
            filter (where price_target is not null) as previous_target,
        first(target_currency order by {{ latest }})
            filter (where price_target is not null) as target_currency,
        first(published_date order by {{ latest }})
            filter (where price_target is not null) as target_on,
        first(article_id order by {{ latest }})
            filter (where price_target is not null) as target_article_id,
        first(rating_action order by {{ latest }}) as last_action,
        first(published_date order by {{ latest }}) as last_note_on,
        first(article_id order by {{ latest }}) as last_article_id,
        first(event_id order by {{ latest }}) as last_event_id,
        first(evidence order by {{ latest }}) as last_evidence,
        count(*) as n_notes
    from notes
    group by company_id, broker
),
-- The currency most of the company's brokers state their latest target in (ties: by name):
-- the median and the upside are over the targets in that currency only.
target_currencies as (
    select company_id, target_currency, count(*) as n
    from brokers
    where price_target is not null and target_currency is not null
    group by company_id, target_currency
),
consensus_currency as (
    select company_id, first(target_currency order by n desc, target_currency) as currency
    from target_currencies
    group by company_id
),
consensus as (
    select
        b.company_id,
        count(*) as n_brokers,
        count(*) filter (where b.rating = 'buy') as n_buy,
        count(*) filter (where b.rating = 'hold') as n_hold,
        count(*) filter (where b.rating = 'sell') as n_sell,
        any_value(k.currency) as consensus_currency,
        count(*) filter (where b.target_currency = k.currency) as n_targets,
        median(b.price_target) filter (where b.target_currency = k.currency) as median_target,
        -- The articles of the latest ratings counted and the latest targets in the median.
        list_sort(list_distinct(flatten(list([
            b.rating_article_id,
            case when b.target_currency = k.currency then b.target_article_id end
        ])))) as evidence_article_ids
    from brokers b
    left join consensus_currency k using (company_id)
    group by b.company_id
),
-- The latest quoted share price per company and currency (rpt_latest_metrics' rule).
prices as (
    select company_id, unit as currency, value, as_of_date, article_id
    from {{ ref('rpt_latest_metrics') }}
    where metric_type = 'share_price'
)
select
    b.company_id,
    c.company_name,
    b.broker,
    b.broker_company_id,
    b.rating,
    b.rating_word,
    b.rated_on,
    b.rating_article_id,
    b.price_target,
    b.previous_target,
    b.target_currency,
    b.target_on,
    b.target_article_id,
    b.last_action,
    b.last_note_on,
    b.last_article_id,
    b.last_event_id,
    b.last_evidence,
    b.n_notes,
    s.n_brokers,
    s.n_buy,
    s.n_hold,
    s.n_sell,
    s.consensus_currency,
    s.n_targets,
    s.median_target,
    p.value as latest_price,
    p.as_of_date as latest_price_on,
    p.article_id as latest_price_article_id,
    round(100 * (s.median_target / nullif(p.value, 0) - 1), 2) as upside_pct,
    s.evidence_article_ids,
    greatest(
        (select max(batch_seq) from {{ ref('fct_events') }}),
        (select max(batch_seq) from {{ ref('fct_metrics') }})
    ) as source_batch_seq
from brokers b
join consensus s using (company_id)
join {{ ref('int_companies') }} c using (company_id)
left join prices p on p.company_id = b.company_id and p.currency = s.consensus_currency
