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
    arg_max(v.period, p.sort_key) as period,
    arg_max(v.value, p.sort_key) as value,
    arg_max(v.method, p.sort_key) as method,
    arg_max(s.kind, p.sort_key) as source_kind,
    arg_max(s.title, p.sort_key) as source_title,
    arg_max(s.url, p.sort_key) as source_url
from indicator_value as v
inner join indicator as i on i.indicator_id = v.indicator_id
inner join period as p on p.period = v.period
inner join source as s on s.source_id = v.source_id
where v.gss_code = 'S92000003'
  and p.kind = 'financial_year'
  and v.value is not null
group by i.indicator_id, i.label, i.category, i.unit, i.sort_order
order by i.sort_order
