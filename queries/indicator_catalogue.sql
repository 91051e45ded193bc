-- Every indicator with its definition and how many values of each status it has.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per indicator: indicator_id, label, category, unit, higher_is_better,
--   definition, caveats, periods, published_values, illustrative_values, council_reported_values

select
    i.indicator_id,
    i.label,
    i.category,
    i.unit,
    i.higher_is_better,
    i.definition,
    i.caveats,
    count(distinct v.period) as periods,
    count(v.value) filter (where s.kind = 'published') as published_values,
    count(v.value) filter (where s.kind = 'illustrative') as illustrative_values,
    count(v.value) filter (where s.kind = 'council_reported') as council_reported_values
from indicator as i
left join indicator_value as v on v.indicator_id = i.indicator_id
left join source as s on s.source_id = v.source_id
group by all
order by min(i.sort_order)
