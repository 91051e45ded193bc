-- Indicators with a value for at least one authority (the outcomes page's picker), with what each
-- measures, its direction, how many authorities have values and the latest period with any.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per indicator: indicator_id, label, category, unit, value_type, higher_is_better,
--   definition, caveats, authorities_with_values, latest_period

select
    i.indicator_id,
    i.label,
    i.category,
    i.unit,
    i.value_type,
    i.higher_is_better,
    i.definition,
    i.caveats,
    count(distinct v.gss_code) filter (where not v.is_scotland) as authorities_with_values,
    max(v.period) as latest_period
from indicator as i
inner join indicator_series as v on v.indicator_id = i.indicator_id
where v.value is not null
  and v.period_kind = 'financial_year'
group by all
having count(*) filter (where not v.is_scotland) > 0
order by min(i.sort_order)
