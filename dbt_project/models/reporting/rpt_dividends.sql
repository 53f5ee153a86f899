-- Dividends. Grain: one row per company and fiscal year, from the dividend (per share, in a
-- currency) and dividend_yield (percent) figures of fct_metrics; the latest statement of
-- each wins (the article published last, undated ones last, then the article id, then the
-- first figure in the article), the two independently, each with its evidence.
-- Fiscal year: the figure's stated period_year ("für das Geschäftsjahr 2025"); else the year
-- before the publication year for figures published January to June (dividends are
-- proposed and paid for the past year, in the spring), else the publication year. A figure
-- with neither (no period year, no publication date) is in fct_metrics only.
-- The old value of a change ("von 2,20 auf 2,25 Euro": 2,20) is no statement of its own.
-- Incremental (delete+insert per company and fiscal year): a run recomputes the keys that
-- figures added since its watermark fall on.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['company_id', 'fiscal_year'],
) }}
{%- set latest = "as_of_date desc nulls last, article_id, char_start" %}

with figures as (
    select
        figure_id, article_id, company_id, metric_type, value, value_low, unit, surface,
        sentence_idx, char_start, char_end, evidence, as_of_date, period_year, batch_seq
    from {{ publishable(ref('fct_metrics')) }}
    where metric_type in ('dividend', 'dividend_yield')
),
statements as (
    select
        *,
        period_year is not null as fiscal_year_stated,
        coalesce(
            period_year,
            case when month(as_of_date) < 7 then year(as_of_date) - 1 else year(as_of_date) end
        ) as fiscal_year
    from figures
    where company_id is not null and value is not null
      and ((metric_type = 'dividend' and unit in {{ sql_values(var('currencies')) }})
           or (metric_type = 'dividend_yield' and unit = 'percent'))
),
{% if is_incremental() %}
touched as (
    select distinct company_id, fiscal_year from statements
    where fiscal_year is not null and batch_seq > {{ consumed_batch_seq() }}
),
scope as (select s.* from statements s semi join touched t using (company_id, fiscal_year)),
{% else %}
scope as (select * from statements where fiscal_year is not null),
{% endif %}
pool as (select * from figures where article_id in (select article_id from scope)),
superseded as ({{ superseded_figures('scope', 'pool') }}),
current_statements as (
    select * from scope where figure_id not in (select figure_id from superseded)
),
grouped as (
    select
        company_id,
        fiscal_year,
        {%- for column, name in [('value', 'dividend_per_share'), ('value_low', 'dividend_per_share_low'),
                                 ('unit', 'currency'), ('surface', 'dividend_surface'),
                                 ('as_of_date', 'dividend_as_of_date'), ('article_id', 'dividend_article_id'),
                                 ('figure_id', 'dividend_figure_id'), ('evidence', 'dividend_evidence')] %}
        first({{ column }} order by {{ latest }}) filter (where metric_type = 'dividend') as {{ name }},
        {%- endfor %}
        {%- for column, name in [('value', 'dividend_yield_pct'), ('surface', 'yield_surface'),
                                 ('as_of_date', 'yield_as_of_date'), ('article_id', 'yield_article_id'),
                                 ('figure_id', 'yield_figure_id'), ('evidence', 'yield_evidence')] %}
        first({{ column }} order by {{ latest }}) filter (where metric_type = 'dividend_yield') as {{ name }},
        {%- endfor %}
        -- The winning dividend's (else yield's) year: stated, or from the publication date.
        first(fiscal_year_stated order by metric_type <> 'dividend', {{ latest }})
            as fiscal_year_stated,
        count(*) filter (where metric_type = 'dividend') as n_dividend_figures,
        count(*) filter (where metric_type = 'dividend_yield') as n_yield_figures,
        count(distinct article_id) as n_articles
    from current_statements
    group by company_id, fiscal_year
)
select
    g.company_id,
    c.company_name,
    g.fiscal_year,
    g.fiscal_year_stated,
    g.dividend_per_share,
    g.dividend_per_share_low,
    g.currency,
    g.dividend_surface,
    g.dividend_as_of_date,
    g.dividend_article_id,
    g.dividend_figure_id,
    g.dividend_evidence,
    g.dividend_yield_pct,
    g.yield_surface,
    g.yield_as_of_date,
    g.yield_article_id,
    g.yield_figure_id,
    g.yield_evidence,
    g.n_dividend_figures,
    g.n_yield_figures,
    g.n_articles,
    (select max(batch_seq) from {{ ref('fct_metrics') }}) as source_batch_seq
from grouped g
join {{ ref('int_companies') }} c using (company_id)
