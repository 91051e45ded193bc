-- Completeness score (0-100) per evidence domain for every authority in scope, with whether it
-- reports one barrier theme (with at least the minimum impact): to compare the two groups.
--
-- Parameters:
--   $review       varchar     review edition id, e.g. '2024-25'
--   $scope        varchar[]   gss codes of the authorities in scope (the peer group)
--   $theme        varchar     barrier theme id, e.g. 'information_systems'
--   $min_impact   integer     lowest impact (1 low, 2 moderate, 3 high) that counts as reporting
--   $highlight    varchar[]   gss codes of the highlighted authorities (may be empty)
--
-- Example: {"review": "2024-25", "scope": "@all_authorities", "theme": "information_systems", "min_impact": 1, "highlight": ["S12000047"]}
--
-- Returns one row per authority and domain: gss_code, authority, theme, reports_theme, impact,
--   highlighted, domain_id, domain, domain_order, score, source_kind

with scores as (
    select
        c.gss_code,
        i.domain_id,
        round(100 * avg(c.level) / 3, 1) as score,
        string_agg(distinct s.kind, ', ' order by s.kind) as kind
    from completeness as c
    inner join evidence_item as i on i.item_id = c.item_id
    inner join source as s on s.source_id = c.source_id
    where c.review_id = $review
      and list_contains($scope, c.gss_code)
    group by c.gss_code, i.domain_id
)
select
    b.gss_code,
    a.name as authority,
    t.label as theme,
    b.reported and b.impact >= $min_impact as reports_theme,
    b.impact,
    list_contains($highlight, b.gss_code) as highlighted,
    d.domain_id,
    d.label as domain,
    d.sort_order as domain_order,
    sc.score,
    array_to_string(list_sort(list_distinct([bs.kind, sc.kind])), ', ') as source_kind
from authority_barrier as b
inner join barrier_theme as t on t.theme_id = b.theme_id
inner join authority as a on a.gss_code = b.gss_code
inner join source as bs on bs.source_id = b.source_id
inner join scores as sc on sc.gss_code = b.gss_code
inner join evidence_domain as d on d.domain_id = sc.domain_id
where b.review_id = $review
  and b.theme_id = $theme
  and list_contains($scope, b.gss_code)
order by d.sort_order, a.name
