-- Financial years in which one indicator has a value for at least one authority, newest first.
--
-- Parameters:
--   $indicator   varchar   indicator id, e.g. 'cpo_commenced'
--
-- Example: {"indicator": "cpo_successful_completion_rate"}
--
-- Returns one row per period: period, label, comparable, note, authorities_with_values

select
    p.period,
    p.label,
    p.comparable,
    p.note,
    count(distinct v.gss_code) as authorities_with_values
from period as p
inner join indicator_value as v on v.period = p.period
where v.indicator_id = $indicator
  and v.gss_code <> (select gss_code from scotland)
  and v.value is not null
  and p.kind = 'financial_year'
group by all
order by max(p.sort_key) desc
