-- Scotland's latest value of each indicator (financial years only), for the Scotland briefing.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per indicator: indicator_id, indicator, category, unit, period, value, method,
--   source_kind, source_title, source_url

select
    i.indicator_id,
    i.label as indicator,
    i.category,
    i.unit,
    arg_max(v.period, v.sort_key) as period,
    arg_max(v.value, v.sort_key) as value,
    arg_max(v.method, v.sort_key) as method,
    arg_max(v.source_kind, v.sort_key) as source_kind,
    arg_max(v.source_title, v.sort_key) as source_title,
    arg_max(v.source_url, v.sort_key) as source_url
from indicator_series as v
inner join indicator as i on i.indicator_id = v.indicator_id
where v.is_scotland
  and v.period_kind = 'financial_year'
  and v.value is not null
group by i.indicator_id, i.label, i.category, i.unit, i.sort_order
order by i.sort_order
