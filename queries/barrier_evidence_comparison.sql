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

select
    r.gss_code,
    r.authority,
    r.theme,
    r.reports as reports_theme,
    r.impact,
    list_contains($highlight, r.gss_code) as highlighted,
    d.domain_id,
    d.label as domain,
    d.sort_order as domain_order,
    round(cs.score, 1) as score,
    array_to_string(list_sort(list_distinct([r.source_kind, cs.source_kind])), ', ') as source_kind
from barrier_report($min_impact) as r
inner join completeness_score as cs on cs.review_id = r.review_id and cs.gss_code = r.gss_code
inner join evidence_domain as d on d.domain_id = cs.domain_id
where r.review_id = $review
  and r.theme_id = $theme
  and list_contains($scope, r.gss_code)
order by d.sort_order, r.authority
