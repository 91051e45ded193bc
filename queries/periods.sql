-- Financial-year periods that have at least one indicator value, newest first.
--
-- Parameters: none
--
-- Example: {}
--
-- Returns one row per period: period, label, comparable, note

select
    p.period,
    p.label,
    p.comparable,
    p.note
from period as p
where p.kind = 'financial_year'
  and exists (select 1 from indicator_value as v where v.period = p.period)
order by p.sort_key desc
