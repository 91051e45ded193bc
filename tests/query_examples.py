"""Example parameters for every query in queries/. A new .sql file without an entry fails the tests."""

ALL_32 = None  # filled in by the test from the database: every authority's code

QUERY_EXAMPLES: dict[str, dict] = {
    "authorities": {},
    "reviews": {},
    "periods": {},
    "build_status": {},
    "review_headlines": {"review": "2024-25"},
    "review_quotes": {"section": "finding"},
    "scotland_trend": {"indicator": "cpo_commenced"},
    "domain_completeness_summary": {"review": "2024-25", "scope": ALL_32},
    "sources": {},
    "completeness_levels": {},
    "indicator_catalogue": {},
}
