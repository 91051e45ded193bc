-- Bulk download: every indicator value with the area name and its source status.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per indicator, area and period: indicator_id, gss_code, area, period, value,
--   numerator, denominator, method, suppressed, source_id, source_kind, note

select
    v.indicator_id,
    v.gss_code,
    v.area,
    v.period,
    v.value,
    v.numerator,
    v.denominator,
    v.method,
    v.suppressed,
    v.source_id,
    v.source_kind,
    v.note
from indicator_series as v
order by v.indicator_id, v.period, v.area
