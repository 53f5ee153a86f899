select
    company_id,
    name as company_name,
    string_split(coalesce(aliases, ''), '|') as aliases,
    nullif(ticker, '') as ticker,
    nullif(isin, '') as isin,
    country,
    sector,
    nullif(parent_company_id, '') as parent_company_id
from {{ ref('companies') }}
