-- Rates per 10 000 population aged 16-70 calculated from counts, wherever no rate was published.
-- The rate inherits the status of its count: a rate from an illustrative count is illustrative,
-- and a rate from a count hidden by disclosure control is hidden too (it would give the count away).
--
-- Parameters:
--   $scotland       varchar   the Scotland code, S92000003 (its population is the sum of the 32)
--   $hidden_note    varchar   the one note every hidden value carries (jsw_explorer.disclosure.NOTE)

insert into indicator_value
    (indicator_id, gss_code, period, value, numerator, denominator, method, suppressed, source_id, note)
with population as (
    select gss_code, population_16_70 from authority
    union all
    select $scotland, sum(population_16_70) from authority
)
select
    rate.indicator_id,
    count_value.gss_code,
    count_value.period,
    case when count_value.suppressed then null
         else round(10000 * count_value.value / population.population_16_70, 1) end,
    case when count_value.suppressed then null else count_value.value end,
    case when count_value.suppressed then null else population.population_16_70 end,
    'calculated',
    count_value.suppressed,
    case when count_source.kind = 'published' then 'calculated-from-published'
         when count_source.kind = 'uploaded' then 'calculated-from-uploaded'
         else 'calculated-from-illustrative' end,
    case when count_value.suppressed
         then $hidden_note
         else 'Calculated by this tool: ' || count_indicator.label || ' / NRS mid-2022 population aged 16-70 x 10 000'
    end
from indicator as rate
inner join indicator as count_indicator on count_indicator.indicator_id = rate.rate_of
inner join indicator_value as count_value on count_value.indicator_id = rate.rate_of
inner join source as count_source on count_source.source_id = count_value.source_id
inner join population on population.gss_code = count_value.gss_code
where (count_value.value is not null or count_value.suppressed)
  and not exists (
      select 1
      from indicator_value as published_rate
      where published_rate.indicator_id = rate.indicator_id
        and published_rate.gss_code = count_value.gss_code
        and published_rate.period = count_value.period
  )
