-- Where one indicator's values come from: each source with its status and how many values it gives.
--
-- Parameters:
--   $indicator   varchar   indicator id, e.g. 'cpo_successful_completion_rate'
--
-- Example: {"indicator": "cpo_per_10000_pop_16_70"}
--
-- Returns one row per source: source_id, title, publisher, url, licence, kind, retrieved, method,
--   values_given, first_period, last_period

select
    s.source_id,
    s.title,
    s.publisher,
    s.url,
    s.licence,
    s.kind,
    s.retrieved,
    v.method,
    count(*) as values_given,
    min(v.period) as first_period,
    max(v.period) as last_period
from indicator_value as v
inner join source as s on s.source_id = v.source_id
where v.indicator_id = $indicator
  and v.value is not null
group by all
order by s.kind, v.method, s.title
