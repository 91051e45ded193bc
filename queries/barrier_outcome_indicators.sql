-- Indicators that can be compared across authorities (rates, percentages and averages with
-- per-authority values for at least half of the 32 authorities), for the barriers and outcomes
-- comparison. Counts are left out: they mostly measure an authority's size.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per indicator: indicator_id, label, unit, higher_is_better, periods, latest_period

select
    i.indicator_id,
    i.label,
    i.unit,
    i.higher_is_better,
    count(distinct v.period) as periods,
    max(v.period) as latest_period
from indicator as i
inner join indicator_value as v on v.indicator_id = i.indicator_id
where v.gss_code <> (select gss_code from scotland)
  and v.value is not null
  and i.value_type in ('rate', 'percent', 'average')
group by i.indicator_id, i.label, i.unit, i.higher_is_better, i.sort_order
having count(distinct v.gss_code) >= 16
order by i.sort_order
