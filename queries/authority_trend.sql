-- One indicator over time for one authority and for Scotland, side by side.
--
-- Parameters:
--   $authority   varchar   gss code of the authority
--   $indicator   varchar   indicator id, e.g. 'cpo_per_10000_pop_16_70'
--
-- Example: {"authority": "S12000045", "indicator": "cpo_per_10000_pop_16_70"}
--
-- Returns one row per period and area: period, comparable, area, value, method, source_kind

select
    p.period,
    p.comparable,
    case when v.gss_code = 'S92000003' then 'Scotland' else a.name end as area,
    v.value,
    v.method,
    s.kind as source_kind
from indicator_value as v
inner join period as p on p.period = v.period
inner join source as s on s.source_id = v.source_id
left join authority as a on a.gss_code = v.gss_code
where v.indicator_id = $indicator
  and v.gss_code in ($authority, 'S92000003')
  and p.kind = 'financial_year'
order by p.sort_key, area
