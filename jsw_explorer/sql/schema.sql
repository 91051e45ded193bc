-- The database schema: what valid data is. Built fresh by jsw_explorer.build on every build.
-- Keys, NOT NULL and CHECK constraints fail the build loudly; cross-table rules that DuckDB
-- cannot declare (for example "a gss_code is Scotland or one of the 32 authorities") live in
-- jsw_explorer/sql/integrity_checks.sql.

create table source (
    source_id varchar primary key,
    title varchar not null,
    publisher varchar not null,
    url varchar,
    licence varchar not null,
    kind varchar not null check (kind in ('published', 'calculated', 'council_reported', 'illustrative', 'uploaded',
                                          'reference')),
    retrieved date,
    notes varchar
);

create table authority (
    gss_code varchar primary key check (regexp_full_match(gss_code, 'S12[0-9]{6}')),
    name varchar not null unique,
    council_body_name varchar not null,
    geo_code varchar not null unique check (regexp_full_match(geo_code, 'S12[0-9]{6}')),
    family_group_people integer not null check (family_group_people between 1 and 4),
    family_group_other integer not null check (family_group_other between 1 and 4),
    population_all_ages integer not null check (population_all_ages > 0),
    population_16_70 integer not null check (population_16_70 > 0 and population_16_70 <= population_all_ages),
    population_year integer not null,
    source_id varchar not null references source (source_id),
    population_source_id varchar not null references source (source_id),
    family_group_source_id varchar not null references source (source_id)
);

create table review (
    review_id varchar primary key,
    title varchar not null,
    publisher varchar not null,
    published date not null,
    fieldwork_from date not null,
    fieldwork_to date not null check (fieldwork_to >= fieldwork_from),
    services_self_evaluated integer not null check (services_self_evaluated between 0 and 32),
    services_validated_on_site integer not null check (services_validated_on_site between 0 and 32),
    source_id varchar not null references source (source_id)
);

create table review_quote (
    quote_id varchar primary key,
    section varchar not null check (section in ('aim', 'method', 'finding', 'barrier')),
    sort_order integer not null,
    text varchar not null,
    source_id varchar not null references source (source_id)
);

create table validation_site (
    review_id varchar not null references review (review_id),
    gss_code varchar not null references authority (gss_code),
    source_id varchar not null references source (source_id),
    note varchar,
    primary key (review_id, gss_code)
);

create table barrier_theme (
    theme_id varchar primary key,
    label varchar not null unique,
    level varchar not null check (level in ('local', 'national')),
    review_wording varchar not null,
    description varchar not null,
    sort_order integer not null,
    source_id varchar not null references source (source_id)
);

create table authority_barrier (
    review_id varchar not null references review (review_id),
    gss_code varchar not null references authority (gss_code),
    theme_id varchar not null references barrier_theme (theme_id),
    reported boolean not null,
    impact integer not null check (impact between 0 and 3),
    note varchar,
    source_id varchar not null references source (source_id),
    primary key (review_id, gss_code, theme_id),
    check ((reported and impact >= 1) or (not reported and impact = 0))
);

create table evidence_domain (
    domain_id varchar primary key check (domain_id in ('performance', 'quality', 'outcomes')),
    label varchar not null,
    description varchar not null,
    sort_order integer not null,
    source_id varchar not null references source (source_id)
);

create table evidence_item (
    item_id varchar primary key,
    domain_id varchar not null references evidence_domain (domain_id),
    label varchar not null,
    description varchar not null,
    sort_order integer not null,
    source_id varchar not null references source (source_id)
);

create table completeness_level (
    level integer primary key check (level between 0 and 3),
    label varchar not null,
    short_label varchar not null,
    description varchar not null,
    source_id varchar not null references source (source_id)
);

create table completeness (
    review_id varchar not null references review (review_id),
    gss_code varchar not null references authority (gss_code),
    item_id varchar not null references evidence_item (item_id),
    level integer not null references completeness_level (level),
    source_id varchar not null references source (source_id),
    primary key (review_id, gss_code, item_id)
);

create table evaluation_scale (
    grade integer primary key check (grade between 1 and 6),
    label varchar not null,
    descriptor varchar not null,
    source_id varchar not null references source (source_id)
);

create table period (
    period varchar primary key check (regexp_full_match(period, '[0-9]{4}-[0-9]{2}')),
    label varchar not null,
    kind varchar not null check (kind in ('financial_year', 'snapshot')),
    sort_key double not null,
    comparable boolean not null,
    note varchar,
    source_id varchar not null references source (source_id)
);

create table indicator (
    indicator_id varchar primary key check (regexp_full_match(indicator_id, '[a-z0-9_]+')),
    label varchar not null unique,
    category varchar not null,
    unit varchar not null,
    value_type varchar not null check (value_type in ('count', 'rate', 'percent', 'average')),
    higher_is_better boolean,
    rate_of varchar,  -- an indicator_id; checked in integrity_checks.sql (DuckDB cannot self-reference in bulk)
    definition varchar not null,
    caveats varchar,
    sort_order integer not null,
    source_id varchar not null references source (source_id)
);

-- gss_code is one of the 32 authorities or S92000003 (Scotland): see integrity_checks.sql.
create table indicator_value (
    indicator_id varchar not null references indicator (indicator_id),
    gss_code varchar not null check (regexp_full_match(gss_code, 'S(12|92)[0-9]{6}')),
    period varchar not null references period (period),
    value double check (value >= 0),
    numerator double check (numerator >= 0),
    denominator double check (denominator > 0),
    method varchar not null check (method in ('as_published', 'as_returned', 'generated', 'calculated')),
    suppressed boolean not null default false,
    source_id varchar not null references source (source_id),
    note varchar,
    primary key (indicator_id, gss_code, period),
    check (suppressed or value is not null)
);

-- Reconviction by court-based local-authority group (Scottish Government; loaded from the
-- publications by jsw_explorer/publications.py): a GROUP's figure, never one authority's own.
-- court_group is the group's name as published, or Scotland, High Court, Unknown. A rate of fewer
-- than 10 people was not published ("**"): suppressed, value null, never zero.
create table court_group_value (
    period varchar not null references period (period),
    court_group varchar not null,
    offenders integer not null check (offenders >= 0),
    reconviction_rate double check (reconviction_rate between 0 and 100),
    reconvictions_per_offender double check (reconvictions_per_offender >= 0),
    suppressed boolean not null,
    source_id varchar not null references source (source_id),
    note varchar,
    primary key (period, court_group),
    check (suppressed or reconviction_rate is not null)
);

-- Which authorities each court-based group covers in a cohort (from the table's footnotes and the
-- group's name; data/published/court_group_members.csv).
create table court_group_member (
    period varchar not null,
    court_group varchar not null,
    gss_code varchar not null references authority (gss_code),
    basis varchar not null,
    source_id varchar not null references source (source_id),  -- the table whose footnotes name the members
    primary key (period, court_group, gss_code),
    foreign key (period, court_group) references court_group_value (period, court_group)
);

create table import_log (
    import_id integer primary key,
    file_name varchar not null,
    sha256 varchar not null,
    rows integer not null,
    loaded_by varchar not null,
    loaded_at timestamp not null,
    outcome varchar not null check (outcome in ('loaded', 'rejected')),
    message varchar
);

create table build_info (
    built_at timestamp not null,
    fingerprint varchar not null,
    seed integer
);

-- Other names and codes people use for an authority (pre-2019 GSS codes, short names), so an
-- imported return can name authorities either way. Read by jsw_explorer.ingest.
create table authority_alias (
    alias varchar primary key,
    gss_code varchar not null references authority (gss_code),
    note varchar,
    source_id varchar not null references source (source_id)
);

-- Maps. Council-area boundaries as GeoJSON geometries (longitude/latitude), simplified when the
-- database is built (jsw_explorer/geo.py). The boundary file uses 2013 codes, so rows are keyed by
-- the code in that file and join to authority.geo_code (four areas changed code in 2018-2019).
create table area_geometry (
    geo_code varchar primary key references authority (geo_code),
    name_in_geo_file varchar,
    geojson varchar not null check (json_valid(geojson)),
    source_id varchar not null references source (source_id)
);

-- Tile-grid map: every authority one equal square, placed so that neighbours are roughly adjacent.
create table area_tile (
    gss_code varchar primary key references authority (gss_code),
    tile_row integer not null check (tile_row between 0 and 20),
    tile_col integer not null check (tile_col between 0 and 20),
    short_name varchar not null check (length(short_name) between 1 and 14),
    source_id varchar not null references source (source_id),
    unique (tile_row, tile_col)
);

-- The completeness score, defined once: 100 x the average level (0-3) / 3, per review, authority
-- and evidence domain, with the status of the rows it comes from.
create view completeness_score as
select
    c.review_id,
    c.gss_code,
    i.domain_id,
    100 * avg(c.level) / 3 as score,
    count(*) as items,
    string_agg(distinct s.kind, ', ' order by s.kind) as source_kind
from completeness as c
inner join evidence_item as i on i.item_id = c.item_id
inner join source as s on s.source_id = c.source_id
group by c.review_id, c.gss_code, i.domain_id;

-- === Shared joins for queries/ ====================================================================
-- Joins that several query files need, written once. Each is a plain view (or a table macro where
-- a query parameter takes part), so a query reads `from barrier_rating as r` and DuckDB inlines
-- it: no copy of the data, filters pushed down as before. Query helpers, not part of the dataset:
-- queries/data_dictionary.sql leaves them out of the data dictionary.

-- The Scotland code, once (jsw_explorer.config.SCOTLAND_CODE says the same for Python; a test
-- checks they agree). indicator_value holds Scotland's own figures under this code.
create view scotland as
select
    'S92000003' as gss_code,
    'Scotland' as name;

-- Every barrier rating with its theme, authority and source: one row per review, authority and
-- theme (the inner joins follow foreign keys, so no rating is lost).
create view barrier_rating as
select
    b.review_id,
    b.gss_code,
    a.name as authority,
    b.theme_id,
    t.label as theme,
    t.level,
    t.sort_order as theme_order,
    t.review_wording,
    t.description as theme_description,
    b.reported,
    b.impact,
    b.note,
    b.source_id,
    s.kind as source_kind,
    s.title as source_title,
    s.url as source_url
from authority_barrier as b
inner join barrier_theme as t on t.theme_id = b.theme_id
inner join authority as a on a.gss_code = b.gss_code
inner join source as s on s.source_id = b.source_id;

-- The minimum-impact rule, once: an authority reports a theme when it reported it with at least
-- min_impact (1 low, 2 moderate, 3 high). barrier_rating's rows with that flag as `reports`.
create macro barrier_report(min_impact) as table
select
    r.*,
    r.reported and r.impact >= min_impact as reports
from barrier_rating as r;

-- Every indicator value with its period, source and area name (an authority's, or Scotland):
-- one row per indicator, area and period, of every period kind (trends filter on period_kind).
create view indicator_series as
select
    v.indicator_id,
    v.gss_code,
    coalesce(a.name, sc.name) as area,
    v.gss_code = sc.gss_code as is_scotland,
    v.period,
    p.kind as period_kind,
    p.sort_key,
    p.comparable,
    p.note as period_note,
    v.value,
    v.numerator,
    v.denominator,
    v.method,
    v.suppressed,
    v.note,
    v.source_id,
    s.kind as source_kind,
    s.title as source_title,
    s.url as source_url
from indicator_value as v
cross join scotland as sc
inner join period as p on p.period = v.period
inner join source as s on s.source_id = v.source_id
left join authority as a on a.gss_code = v.gss_code;
