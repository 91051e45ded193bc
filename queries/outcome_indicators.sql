-- Indicators with a value for at least one authority (the outcomes page's picker), with what each
-- measures, its direction, how many authorities have values and the latest period with any.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per indicator: indicator_id, label, category, unit, value_type, higher_is_better,
--   definition, caveats, authorities_with_values, latest_period

-- Counted per indicator first, then joined to the indicator's texts: grouping by the long definition
-- and caveats texts was most of the query's time at 100x data.
with covered as (
    select
        indicator_id,
        count(distinct gss_code) filter (where not is_scotland) as authorities_with_values,
        max(period) as latest_period
    from indicator_series
    where value is not null
      and period_kind = 'financial_year'
    group by indicator_id
    having count(*) filter (where not is_scotland) > 0
)
select
    i.indicator_id,
    i.label,
    i.category,
    i.unit,
    i.value_type,
    i.higher_is_better,
    i.definition,
    i.caveats,
    c.authorities_with_values,
    c.latest_period
from indicator as i
inner join covered as c on c.indicator_id = i.indicator_id
order by i.sort_order, i.indicator_id
