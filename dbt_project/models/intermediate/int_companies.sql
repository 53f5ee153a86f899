-- Every company the warehouse knows: the company seed, and the organisations the
-- extractor found outside it (rule company.discovered: an organisation named with a cue;
-- company.broker: a broker of rules/ratings.yaml writing a note), marked `discovered`:
-- unverified, named as the text names them, the curation list of rpt_unknown_organisations.
with seed as (
    select *, false as discovered from {{ ref('stg_companies') }}
),
found as (
    select
        company_id,
        -- The name as the text writes it most often (ties: the shortest).
        arg_min(surface, length(surface)) as company_name,
        'discovered' as source,
        true as discovered
    from {{ ref('stg_company_mentions') }}
    where rule_id in ('company.discovered', 'company.broker')
        and company_id not in (select company_id from seed)
    group by company_id
)
select * from seed
union all by name
select * from found
