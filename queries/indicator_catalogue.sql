-- Every indicator with its definition and how many values of each status it has.
--
-- Parameters: none
--
-- Example: {}
--
-- Direction is in words: higher is better, lower is better, or neither (context, not performance).
--
-- Returns one row per indicator: indicator_id, label, category, unit, direction,
--   definition, caveats, periods, published_values, illustrative_values, council_reported_values

-- Count per indicator first, then join the long text columns once per indicator.
with counts as (
    select
        v.indicator_id,
        count(distinct v.period) as periods,
        count(v.value) filter (where v.source_kind = 'published') as published_values,
        count(v.value) filter (where v.source_kind = 'illustrative') as illustrative_values,
        count(v.value) filter (where v.source_kind = 'council_reported') as council_reported_values
    from indicator_series as v
    group by v.indicator_id
)
select
    i.indicator_id,
    i.label,
    i.category,
    i.unit,
    case when i.higher_is_better then 'higher is better' when not i.higher_is_better then 'lower is better'
         else 'neither: context, not a performance measure' end as direction,
    i.definition,
    i.caveats,
    coalesce(c.periods, 0) as periods,
    coalesce(c.published_values, 0) as published_values,
    coalesce(c.illustrative_values, 0) as illustrative_values,
    coalesce(c.council_reported_values, 0) as council_reported_values
from indicator as i
left join counts as c on c.indicator_id = i.indicator_id
order by i.sort_order
