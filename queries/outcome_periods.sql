-- Financial years in which one indicator has a value for at least one authority, newest first.
--
-- Parameters:
--   $indicator   varchar   indicator id, e.g. 'cpo_commenced'
--
-- Example: {"indicator": "cpo_successful_completion_rate"}
--
-- Returns one row per period: period, label, comparable, note, authorities_with_values

select
    v.period,
    v.period_label as label,
    v.comparable,
    v.period_note as note,
    count(distinct v.gss_code) as authorities_with_values
from indicator_series as v
where v.indicator_id = $indicator
  and not v.is_scotland
  and v.value is not null
  and v.period_kind = 'financial_year'
group by v.period, v.period_label, v.comparable, v.period_note
order by max(v.sort_key) desc
