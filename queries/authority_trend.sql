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
    v.period,
    v.comparable,
    v.area,
    v.value,
    v.method,
    v.source_kind
from indicator_series as v
where v.indicator_id = $indicator
  and (v.gss_code = $authority or v.is_scotland)
  and v.period_kind = 'financial_year'
order by v.sort_key, v.area
