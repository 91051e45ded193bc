-- Cross-table rules the schema cannot declare. Each query returns the rows that break its rule;
-- the build fails, naming the rule, if any query returns a row. Rules are separated by lines
-- starting with "-- rule:".

-- rule: every indicator value is for Scotland (S92000003) or one of the 32 authorities
select indicator_id, gss_code, period
from indicator_value
where gss_code <> 'S92000003'
  and gss_code not in (select gss_code from authority);

-- rule: there are exactly 32 authorities
select count(*) as authorities
from authority
having count(*) <> 32;

-- rule: every authority has a barrier row for every theme in every review that has barrier data
select r.review_id, a.gss_code, t.theme_id
from (select distinct review_id from authority_barrier) as r
cross join authority as a
cross join barrier_theme as t
anti join authority_barrier as b
    on b.review_id = r.review_id and b.gss_code = a.gss_code and b.theme_id = t.theme_id;

-- rule: a percentage is between 0 and 100
select v.indicator_id, v.gss_code, v.period, v.value
from indicator_value as v
inner join indicator as i on i.indicator_id = v.indicator_id
where i.value_type = 'percent' and v.value > 100;

-- rule: a numerator is not larger than its denominator for a percentage
select v.indicator_id, v.gss_code, v.period, v.numerator, v.denominator
from indicator_value as v
inner join indicator as i on i.indicator_id = v.indicator_id
where i.value_type = 'percent' and v.numerator > v.denominator;

-- rule: a rate is calculated from a count indicator that exists
select indicator_id, rate_of
from indicator
where rate_of is not null
  and rate_of not in (select indicator_id from indicator where value_type = 'count');

-- rule: a value hidden by disclosure control shows no number that would give it away
select indicator_id, gss_code, period
from indicator_value
where suppressed
  and (value is not null or numerator is not null or denominator is not null);

-- rule: published figures are never hidden by disclosure control
select v.indicator_id, v.gss_code, v.period
from indicator_value as v
inner join source as s on s.source_id = v.source_id
where v.suppressed
  and s.kind in ('published', 'calculated', 'council_reported');

-- rule: every authority has a place on the tile-grid map (data/tile_grid.csv)
select a.gss_code, a.name
from authority as a
anti join area_tile as t on t.gss_code = a.gss_code;

-- rule: when boundaries are loaded, every authority has one (joined on authority.geo_code)
select a.gss_code, a.name, a.geo_code
from authority as a
anti join area_geometry as g on g.geo_code = a.geo_code
where exists (select 1 from area_geometry);
