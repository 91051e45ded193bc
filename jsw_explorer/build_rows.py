"""What the build loads: the source files in data/ read and checked into Rows, one table at a time, in the
order foreign keys need, with the published workbooks, accepted uploads and disclosure control applied.

Nothing here writes: build.py creates the database from these Rows. A source file that breaks a rule
raises BuildError naming the file, row and rule.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from jsw_explorer import disclosure, geo, publications, uploads

STATISTICS_PUBLISHERS = {
    "gov.scot": "Scottish Government",
    "wired-gov.net": "Scottish Government (release reposted by wired-gov.net)",
    "heraldscotland.com": "The Herald",
    "eveningexpress.co.uk": "Evening Express",
    "dundeecity.gov.uk": "Dundee City Council",
    "dundeeandanguschamber.co.uk": "Dundee & Angus Chamber of Commerce",
    "eastdunbarton.gov.uk": "East Dunbartonshire Council",
}


class BuildError(Exception):
    """A source file broke a rule. The message names the file, row and rule."""


@dataclass
class Rows:
    """Rows for one table, each remembering the file and spreadsheet row it came from."""

    table: str
    frame: pd.DataFrame
    origins: list[tuple[str, int]]
    protected: bool = False  # published figures: never replaced by an upload, never suppressed
    withheld: pd.DataFrame | None = None  # true values of rows hidden by disclosure control (audit only, never written)


def read_source_csv(data_dir: Path, name: str) -> pd.DataFrame:
    path = data_dir / name
    if not path.exists():
        raise BuildError(f"{name}: file is missing from {data_dir}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as error:
        raise BuildError(f"{name}: cannot be read as UTF-8 CSV ({error})") from error
    return frame.map(lambda v: v.strip() if isinstance(v, str) else v)


def require_columns(frame: pd.DataFrame, name: str, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BuildError(f"{name}: missing column(s) {', '.join(missing)}")


def simple_table(data_dir: Path, table: str, file_name: str, columns: list[str]) -> Rows:
    frame = read_source_csv(data_dir, file_name)
    require_columns(frame, file_name, columns)
    return Rows(table, frame[columns], [(file_name, i + 2) for i in range(len(frame))])


def authority_rows(data_dir: Path) -> Rows:
    authorities = read_source_csv(data_dir, "local_authorities.csv")
    population = read_source_csv(data_dir, "population.csv")
    require_columns(authorities, "local_authorities.csv", ["gss_code", "name", "council_body_name",
                    "gss_code_in_geo_file", "lgbf_family_group_people_services", "lgbf_family_group_other_services"])
    require_columns(population, "population.csv", ["gss_code", "year", "population_all_ages", "population_16_70"])
    merged = authorities.merge(population[["gss_code", "year", "population_all_ages", "population_16_70"]],
                               on="gss_code", how="left", indicator=True)
    for i, row in merged.iterrows():
        if row["_merge"] != "both":
            raise BuildError(f"local_authorities.csv row {i + 2}: rule 'every authority has a population' "
                             f"failed: no row for {row['gss_code']} in population.csv")
    frame = pd.DataFrame({
        "gss_code": merged["gss_code"],
        "name": merged["name"],
        "council_body_name": merged["council_body_name"],
        "geo_code": merged["gss_code_in_geo_file"],
        "family_group_people": merged["lgbf_family_group_people_services"],
        "family_group_other": merged["lgbf_family_group_other_services"],
        "population_all_ages": merged["population_all_ages"],
        "population_16_70": merged["population_16_70"],
        "population_year": merged["year"],
        "source_id": "gss-codes",
        "population_source_id": "nrs-mid-2022",
        "family_group_source_id": "is-lgbf-family-groups",
    })
    return Rows("authority", frame, [("local_authorities.csv", i + 2) for i in range(len(frame))])


def statistics_source_id(url: str) -> str:
    return "stat-" + hashlib.sha1(url.encode()).hexdigest()[:10]


def statistics_rows(data_dir: Path) -> tuple[Rows, Rows]:
    """Published and council-reported values from jsw_statistics.csv (preferred rows only)."""
    name = "jsw_statistics.csv"
    stats = read_source_csv(data_dir, name)
    require_columns(stats, name, ["gss_code", "year", "indicator", "value", "source_url", "notes", "preferred"])
    stats["file_row"] = range(2, len(stats) + 2)
    bad_flag = stats[~stats["preferred"].str.upper().isin(["TRUE", "FALSE"])]
    if not bad_flag.empty:
        row = bad_flag.iloc[0]
        raise BuildError(f"{name} row {row['file_row']}: column 'preferred' must be TRUE or FALSE, got {row['preferred']!r}")
    stats = stats[stats["preferred"].str.upper() == "TRUE"]

    sources = []
    for url, group in stats.groupby("source_url", sort=True):
        host = urlparse(url).netloc.removeprefix("www.")
        council = group["indicator"].str.startswith("council_reported_").all()
        publisher = STATISTICS_PUBLISHERS.get(host, host)
        path = urlparse(url).path.strip("/").replace("/", " / ")
        sources.append({
            "source_id": statistics_source_id(url),
            "title": f"{publisher}: {path}",
            "publisher": publisher,
            "url": url,
            "licence": ("Crown copyright; normally Open Government Licence v3.0" if "gov" in host and "council" not in publisher.lower()
                        else f"© {publisher}; facts quoted"),
            "kind": "council_reported" if council else "published",
            "retrieved": "2026-11-01",
            "notes": "; ".join(sorted(set(group["notes"])))[:500],
        })
    values = pd.DataFrame({
        "indicator_id": stats["indicator"],
        "gss_code": stats["gss_code"],
        "period": stats["year"],
        "value": stats["value"],
        "numerator": None,
        "denominator": None,
        "method": "as_published",
        "suppressed": "false",
        "source_id": stats["source_url"].map(statistics_source_id),
        "note": stats["notes"],
    })
    origins = [(name, int(r)) for r in stats["file_row"]]
    return (Rows("source", pd.DataFrame(sources), [(name, 0)] * len(sources)),
            Rows("indicator_value", values, origins, protected=True))


def illustrative_values(data_dir: Path) -> Rows:
    name = "illustrative/indicator_values.csv"
    frame = read_source_csv(data_dir, name)
    require_columns(frame, name, ["indicator_id", "gss_code", "period", "value", "numerator", "denominator", "source_id"])
    frame = frame.assign(method="generated", suppressed="false", note=None)
    return Rows("indicator_value", frame[["indicator_id", "gss_code", "period", "value", "numerator", "denominator",
                                          "method", "suppressed", "source_id", "note"]],
                [(name, i + 2) for i in range(len(frame))])


def all_rows(data_dir: Path, pending: Path | None = None) -> list[Rows]:
    """Every table's rows, in the order foreign keys need, with accepted uploads applied (and the
    pending one, when the importer builds), and disclosure control applied to the values."""
    statistic_sources, statistic_values = statistics_rows(data_dir)
    base = [
        simple_table(data_dir, "source", "sources.csv",
                     ["source_id", "title", "publisher", "url", "licence", "kind", "retrieved", "notes"]),
        statistic_sources,
        authority_rows(data_dir),
        simple_table(data_dir, "authority_alias", "authority_aliases.csv", ["alias", "gss_code", "note", "source_id"]),
        simple_table(data_dir, "review", "reviews.csv",
                     ["review_id", "title", "publisher", "published", "fieldwork_from", "fieldwork_to",
                      "services_self_evaluated", "services_validated_on_site", "source_id"]),
        simple_table(data_dir, "review_quote", "review_quotes.csv", ["quote_id", "section", "sort_order", "text", "source_id"]),
        simple_table(data_dir, "validation_site", "validation_sites.csv", ["review_id", "gss_code", "source_id", "note"]),
        simple_table(data_dir, "barrier_theme", "barrier_themes.csv",
                     ["theme_id", "label", "level", "review_wording", "description", "sort_order", "source_id"]),
        simple_table(data_dir, "evidence_domain", "evidence_domains.csv", ["domain_id", "label", "description", "sort_order", "source_id"]),
        simple_table(data_dir, "evidence_item", "evidence_items.csv",
                     ["item_id", "domain_id", "label", "description", "sort_order", "source_id"]),
        simple_table(data_dir, "completeness_level", "completeness_levels.csv", ["level", "label", "short_label", "description", "source_id"]),
        simple_table(data_dir, "evaluation_scale", "evaluation_scale.csv", ["grade", "label", "descriptor", "source_id"]),
        simple_table(data_dir, "period", "periods.csv", ["period", "label", "kind", "sort_key", "comparable", "note", "source_id"]),
        simple_table(data_dir, "indicator", "indicators.csv",
                     ["indicator_id", "label", "category", "unit", "value_type", "higher_is_better", "rate_of",
                      "definition", "caveats", "sort_order", "source_id"]),
        simple_table(data_dir, "authority_barrier", "illustrative/authority_barriers.csv",
                     ["review_id", "gss_code", "theme_id", "reported", "impact", "note", "source_id"]),
        simple_table(data_dir, "completeness", "illustrative/completeness.csv",
                     ["review_id", "gss_code", "item_id", "level", "source_id"]),
        statistic_values,
        illustrative_values(data_dir),
    ]
    return apply_disclosure_control(uploads.merge(with_published_workbooks(base, data_dir), data_dir, pending))


def with_published_workbooks(base: list[Rows], data_dir: Path) -> list[Rows]:
    """Add the values read from the workbooks in data/published/ (jsw_explorer/publications.py): their
    source rows after the other sources, their values as published (protected); an illustrative value
    for an indicator and period a workbook publishes is dropped, because the real one replaces it."""
    try:
        loaded = publications.load_all(data_dir)
    except publications.WorkbookError as error:
        raise BuildError(str(error)) from error
    published = set(zip(loaded.values["indicator_id"], loaded.values["period"]))
    read = {key: value for key, value in zip(zip(loaded.values["indicator_id"], loaded.values["gss_code"],
                                                 loaded.values["period"]), loaded.values["value"])}
    out = []
    for rows in base:
        if rows.table == "indicator_value" and rows.protected:  # a transcribed figure the workbook also gives
            keys = list(zip(rows.frame["indicator_id"], rows.frame["gss_code"], rows.frame["period"]))
            numbers = pd.to_numeric(rows.frame["value"].replace({"": None}), errors="coerce")
            for key, value, origin in zip(keys, numbers, rows.origins):
                if key in read and not abs(value - read[key]) < 1e-9:  # NaN on either side disagrees
                    raise BuildError(f"{origin[0]} row {origin[1]}: rule 'a figure also read from a workbook agrees "
                                     f"with it' failed: {key} is {value} here and {read[key]} in the workbook")
            keep = [key not in read for key in keys]
        elif rows.table == "indicator_value":
            keep = [key not in published for key in zip(rows.frame["indicator_id"], rows.frame["period"])]
        if rows.table == "indicator_value":
            rows = Rows(rows.table, rows.frame.loc[keep].reset_index(drop=True),
                        [o for o, k in zip(rows.origins, keep) if k])
        out.append(rows)
        if rows is base[0]:  # sources.csv: the workbooks' sources follow it
            out.append(Rows("source", loaded.sources, [(f"{publications.PUBLISHED_DIR}/{publications.PROVENANCE_FILE}",
                                                        i + 2) for i in range(len(loaded.sources))]))
    groups = f"{publications.PUBLISHED_DIR}/{publications.COURT_GROUP_MEMBERS}"
    return out + [Rows("indicator_value", loaded.values, loaded.origins, protected=True),
                  Rows("court_group_value", loaded.group_values, [(groups, 0)] * len(loaded.group_values)),
                  Rows("court_group_member", loaded.group_members, [(groups, i + 2) for i in range(len(loaded.group_members))])]


def apply_disclosure_control(rows: list[Rows]) -> list[Rows]:
    """Hide small illustrative and uploaded counts (config.DISCLOSURE_RULE), before anything is written.
    The true values of hidden rows stay with the Rows (`withheld`) for the audit of the written database."""
    indicators = [r.frame for r in rows if r.table == "indicator"]
    value_types = {i: t for f in indicators for i, t in zip(f["indicator_id"], f["value_type"])}
    rate_of = {i: r for f in indicators for i, r in zip(f["indicator_id"], f["rate_of"]) if r}
    source_kinds = {i: k for r in rows if r.table == "source" for i, k in zip(r.frame["source_id"], r.frame["kind"])}
    positions = [n for n, r in enumerate(rows) if r.table == "indicator_value"]
    if not positions:
        return rows
    combined = pd.concat([rows[n].frame for n in positions], ignore_index=True)
    reasons = disclosure.plan(combined, value_types, source_kinds, rate_of=rate_of)
    hidden = disclosure.apply(combined, reasons)
    out, start = list(rows), 0
    for n in positions:
        length = len(rows[n].frame)
        part = slice(start, start + length)
        out[n] = Rows(rows[n].table, hidden.iloc[part].reset_index(drop=True), rows[n].origins,
                      rows[n].protected, combined.iloc[part][reasons.iloc[part].ne("").to_numpy()])
        start += length
    return out


def map_rows(data_dir: Path) -> list[Rows]:
    """The maps' inputs: tile-grid places, and boundaries simplified now (jsw_explorer/geo.py).

    Without the boundary file the choropleth is left out (the page says so); a file that is there
    but unreadable fails the build.
    """
    name = "tile_grid.csv"
    tiles = read_source_csv(data_dir, name)
    require_columns(tiles, name, ["gss_code", "row", "col", "short_name", "source_id"])
    rows = [Rows("area_tile", tiles.rename(columns={"row": "tile_row", "col": "tile_col"})[
        ["gss_code", "tile_row", "tile_col", "short_name", "source_id"]], [(name, i + 2) for i in range(len(tiles))])]
    try:
        boundaries = geo.boundary_rows(data_dir)
    except geo.GeometryError as error:
        raise BuildError(f"{geo.BOUNDARY_FILE.as_posix()}: {error}") from error
    if boundaries is not None:
        rows.append(Rows("area_geometry", boundaries, [(f"{geo.BOUNDARY_FILE.as_posix()} area {code}", 0)
                                                       for code in boundaries["geo_code"]]))
    return rows
