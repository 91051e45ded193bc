"""Publication workbooks (Scottish Government XLSX tables) -> published indicator values, checked.

Each table the build reads is declared once, in published_tables (TABLES, GROUP_TABLES): workbook,
sheet, header row, the header text of every column it reads, the indicator and period each column
feeds, and the totals the publication states. The reader trusts nothing it was not told: a moved or renamed sheet or header,
a council name it cannot map (through data/authority_aliases.csv), a council missing or twice, text
in a number cell or a stated total that does not add up raises WorkbookError naming the workbook,
sheet, cell and rule, and the build stops (the previous database stays). Values read are loaded as
published, method 'as_published'; the workbook's sha256 must match data/published/provenance.csv.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from jsw_explorer.config import SCOTLAND_CODE
# The declared mappings live in published_tables; their names are importable from here too (build, tests).
from jsw_explorer.published_tables import (COURT_GROUP_MEMBERS, GROUP_FIELDS, GROUP_TABLES, SCOTLAND, TABLES, Column,
                                           Table)

PUBLISHED_DIR = "published"
PROVENANCE_FILE = "provenance.csv"
NOT_PUBLISHED_NOTE = "Not published: {meaning}."  # the meaning names the mark, e.g. "** in the publication: ..."

__all__ = ["COURT_GROUP_MEMBERS", "GROUP_TABLES", "NOT_PUBLISHED_NOTE", "PROVENANCE_FILE", "PUBLISHED_DIR", "TABLES",
           "Column", "Loaded", "Reading", "Table", "WorkbookError", "authority_lookup", "clean_label", "load_all",
           "read_table"]


class WorkbookError(Exception):
    """A workbook broke a rule. The message names workbook, sheet, cell and rule."""


@dataclass
class Reading:
    """What one table gave: one row per area and column read, with the cell it came from."""

    table: Table
    values: pd.DataFrame  # area, gss_code (None for extra areas), indicator_id, period, value, suppressed, note, row, cell


# --- Names ------------------------------------------------------------------------------------

def clean_label(text: object) -> str:
    """A cell's text without footnote marks: '2017-18 [note 7]' -> '2017-18', 'Unknown3' -> 'Unknown',
    'Aberdeen City and Aberdeenshire2,13' -> 'Aberdeen City and Aberdeenshire'."""
    text = unicodedata.normalize("NFKC", str(text)).replace("\xa0", " ")
    text = re.sub(r"\s*\[note \d+\]", "", text, flags=re.I)
    text = re.sub(r"(?<=[A-Za-z)])\d+(?:,\d+)*$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


def name_key(text: str) -> str:
    """How names are compared (the same rule as ingest.normalise_name): case, '&', punctuation ignored."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("&", " and ")
    return re.sub(r"[\s\-_.,'’()]+", " ", text).strip()


def authority_lookup(data_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """name key -> GSS code for the 32 councils (name, council body, aliases); and code -> name."""
    authorities = pd.read_csv(data_dir / "local_authorities.csv", dtype=str, keep_default_na=False)
    aliases = pd.read_csv(data_dir / "authority_aliases.csv", dtype=str, keep_default_na=False)
    lookup = {}
    for code, name, body in authorities[["gss_code", "name", "council_body_name"]].itertuples(index=False):
        lookup[name_key(name)] = code
        lookup[name_key(body)] = code
    for alias, code in aliases[["alias", "gss_code"]].itertuples(index=False):
        lookup.setdefault(name_key(alias), code)
    return lookup, dict(zip(authorities["gss_code"], authorities["name"]))


# --- Reading ----------------------------------------------------------------------------------

AREA_RULES = {"council": ("every area name is a known council (data/authority_aliases.csv)",
                          "is not a council name or alias; add an alias if it is a new spelling"),
              "court group": (f"every area name is a court group declared in {PUBLISHED_DIR}/court_group_members.csv",
                              "is not a court group declared for this cohort; declare it and its councils")}


def located(table: Table, cell: str, rule: str, detail: str) -> WorkbookError:
    where = f"({table.sheet})" if table.workbook.endswith(".csv") else f"sheet '{table.sheet}'"
    return WorkbookError(f"published/{table.workbook}, {where}, cell {cell}: rule '{rule}' failed: {detail}")


def csv_rows(path: Path) -> list[list]:
    """A transcribed table (CSV) as spreadsheet rows: numbers as numbers, an empty cell as ''."""
    def typed(text: str):
        try:
            return float(text) if text.strip() else ""
        except ValueError:
            return text
    with path.open(newline="", encoding="utf-8") as handle:
        return [[typed(cell) for cell in row] for row in csv.reader(handle)]


def is_note_row(text: str) -> bool:
    """Footnotes and navigation under a table: '1. These data ...', 'Return to index', 'Source: ...'."""
    return bool(re.match(r"^(\d+\.\s|return to|go to|note|source)", text, flags=re.I))


def number_or_mark(table: Table, cell: str, raw: object) -> tuple[float | None, str | None]:
    """A number cell's value, or the suppression mark it holds; anything else fails."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw):
        if raw < 0:
            raise located(table, cell, "a count or rate is not negative", f"found {raw}")
        return float(raw), None
    text = "" if raw is None else str(raw).strip()
    if text in table.suppression_marks:
        return None, text
    shown = "an empty cell" if not text else f"the text {text[:40]!r}"
    raise located(table, cell, "a number cell holds a number", f"found {shown}")


def read_table(table: Table, data_dir: Path, lookup: dict[str, str], names: dict[str, str]) -> Reading:
    path = data_dir / PUBLISHED_DIR / table.workbook
    if table.workbook.endswith(".csv"):
        if not path.exists():
            raise WorkbookError(f"published/{table.workbook}: file is missing")
        return Reading(table, parse_rows(table, csv_rows(path), lookup, names))
    try:
        from openpyxl import load_workbook  # only when the build reads a workbook, not at app start

        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as error:
        raise WorkbookError(f"published/{table.workbook}: file is missing") from error
    except Exception as error:  # a damaged or non-XLSX file: say so, never a traceback
        raise WorkbookError(f"published/{table.workbook}: cannot be read as an XLSX workbook ({error})") from error
    try:
        if table.sheet not in book.sheetnames:
            raise WorkbookError(f"published/{table.workbook}, sheet '{table.sheet}': rule 'the declared sheet exists' "
                                f"failed: the workbook has no sheet of that name (it has: {', '.join(book.sheetnames)})")
        rows = [list(row) for row in book[table.sheet].iter_rows(values_only=True)]
    finally:
        book.close()
    return Reading(table, parse_rows(table, rows, lookup, names))


def parse_rows(table: Table, rows: list[list], lookup: dict[str, str], names: dict[str, str]) -> pd.DataFrame:
    from openpyxl.utils import get_column_letter  # the build reads workbooks; the app does not

    if len(rows) < table.header_row:
        raise located(table, f"A{table.header_row}", "the header row is where it was declared",
                      "the sheet ends before it")
    header = [clean_label(v) if v is not None else "" for v in rows[table.header_row - 1]]
    wanted = [table.area_header, *(h for h, _ in table.row_filter), *(c.header for c in table.columns)]
    positions = {}
    for name in wanted:
        if name not in header:
            cell = f"A{table.header_row}" if name == table.area_header else f"row {table.header_row}"
            found = header[0] if name == table.area_header else "; ".join(h for h in header if h)
            raise located(table, cell, "the header row is where it was declared",
                          f"expected a header {name!r}, found {found!r}")
        positions[name] = header.index(name)
    if positions[table.area_header] != 0:
        raise located(table, f"A{table.header_row}", "the header row is where it was declared",
                      f"expected {table.area_header!r} in the first column")

    records, seen = [], {}
    expected_extra = {name_key(e): e for e in table.extra_areas}
    for offset, row in enumerate(rows[table.header_row:], start=table.header_row + 1):
        first = row[0] if row else None
        if first is None or str(first).strip() == "":
            break  # the table ends at its first empty row
        area = clean_label(first)
        if is_note_row(area):
            break
        if any(clean_label(row[positions[h]]) != v for h, v in table.row_filter):
            continue
        key = name_key(area)
        if key == name_key(table.total_area):
            code, shown = SCOTLAND_CODE, SCOTLAND
        elif key in expected_extra:
            code, shown = None, expected_extra[key]
        elif key in lookup:
            code, shown = lookup[key], names[lookup[key]]
        else:
            rule, detail = AREA_RULES[table.area_kind]
            raise located(table, f"A{offset}", rule, f"{str(first)[:60]!r} {detail}")
        if shown in seen:
            raise located(table, f"A{offset}", f"every {table.area_kind} appears exactly once",
                          f"{shown} appears again (first in row {seen[shown]})")
        seen[shown] = offset
        for column in table.columns:
            index = positions[column.header]
            cell = f"{get_column_letter(index + 1)}{offset}"
            value, mark = number_or_mark(table, cell, row[index] if index < len(row) else None)
            note = "; ".join(n for n in (table.notes, column.note) if n)
            if mark is not None:
                note = NOT_PUBLISHED_NOTE.format(mark=mark, meaning=table.suppression_marks[mark]) + " " + note
            records.append({"area": shown, "gss_code": code, "header": column.header,
                            "denominator_of": column.denominator,
                            "indicator_id": column.indicator_id, "period": column.period, "value": value,
                            "suppressed": mark is not None, "note": note, "row": offset, "cell": cell})

    missing = [names[code] for code in names if names[code] not in seen]
    expected = [SCOTLAND, *table.extra_areas]
    missing += [name for name in expected if name not in seen]
    if missing:
        raise located(table, f"A{table.header_row + 1}:A{table.header_row + len(seen) + 1}",
                      f"every {table.area_kind} appears exactly once", f"no row for {', '.join(missing)}")
    frame = pd.DataFrame(records)
    check_totals(table, frame)
    return frame


def check_totals(table: Table, frame: pd.DataFrame) -> None:
    """The totals the publication states add up: 32 councils (+ extra areas) = the total row."""
    for header in table.additive:
        column = frame.loc[frame["header"] == header]
        total = column.loc[column["gss_code"] == SCOTLAND_CODE].iloc[0]
        parts = column.loc[column["gss_code"] != SCOTLAND_CODE]
        added = parts["value"].sum()
        if parts["value"].isna().any() or total["value"] is None or not math.isclose(added, total["value"], abs_tol=0.5):
            sides = " + ".join(["32 councils" if table.area_kind == "council" else "the court groups",
                                *table.extra_areas])
            raise located(table, total["cell"], f"{sides} = {table.total_area}",
                          f"{header}: the parts add up to {added:,.0f}, the table states {total['value']:,.0f}")


# --- Provenance and loading -------------------------------------------------------------------

def provenance(data_dir: Path) -> pd.DataFrame:
    path = data_dir / PUBLISHED_DIR / PROVENANCE_FILE
    if not path.exists():
        raise WorkbookError(f"{PUBLISHED_DIR}/{PROVENANCE_FILE}: file is missing")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def verify_checksums(data_dir: Path, tables: tuple[Table, ...], recorded: pd.DataFrame) -> None:
    by_file = recorded.set_index("file")
    for workbook in dict.fromkeys(t.workbook for t in tables):
        path = data_dir / PUBLISHED_DIR / workbook
        if workbook not in by_file.index:
            raise WorkbookError(f"published/{workbook}: rule 'every workbook read has provenance' failed: "
                                f"no row for it in {PUBLISHED_DIR}/{PROVENANCE_FILE}")
        if not path.exists():
            raise WorkbookError(f"published/{workbook}: file is missing")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != by_file.at[workbook, "sha256"]:
            raise WorkbookError(f"published/{workbook}: rule 'the file is the one recorded in "
                                f"{PUBLISHED_DIR}/{PROVENANCE_FILE}' failed: sha256 is {digest}, provenance says "
                                f"{by_file.at[workbook, 'sha256']}. Check the new file, then record its sha256.")


def source_rows(recorded: pd.DataFrame) -> pd.DataFrame:
    """One source row per workbook, kind 'published', with its URL, licence and statistics label."""
    return pd.DataFrame({
        "source_id": recorded["source_id"], "title": recorded["title"], "publisher": recorded["publisher"],
        "url": recorded["official_url"], "licence": recorded["licence"], "kind": "published",
        "retrieved": recorded["retrieved"],
        "notes": ("Statistics label: " + recorded["statistics_label"] + ". Landing page: " + recorded["landing_page"]
                  + ". File data/published/" + recorded["file"] + ", sha256 " + recorded["sha256"] + ". "
                  + recorded["notes"]),
    })


def indicator_values(reading: Reading, source_id: str, read: dict) -> tuple[pd.DataFrame, list[tuple[str, int]]]:
    """indicator_value rows (councils and Scotland) from one table, with their origins for messages.
    A rate's denominator is the published value its column declares, looked up in `read`
    ((indicator, gss_code, period) -> value, from every table read)."""
    loaded = reading.values.loc[reading.values["gss_code"].notna()].copy()
    loaded["denominator"] = [None if link is None else read.get((link[0], code, link[1]))
                             for link, code in zip(loaded["denominator_of"], loaded["gss_code"])]
    frame = pd.DataFrame({
        "indicator_id": loaded["indicator_id"], "gss_code": loaded["gss_code"], "period": loaded["period"],
        "value": loaded["value"], "numerator": None, "denominator": loaded["denominator"],
        "method": "as_published", "suppressed": loaded["suppressed"].map({True: "true", False: "false"}),
        "source_id": source_id, "note": loaded["note"],
    }).reset_index(drop=True)
    origin = f"published/{reading.table.workbook} sheet '{reading.table.sheet}'"
    return frame, [(origin, int(r)) for r in loaded["row"]]


@dataclass
class Loaded:
    """Everything the build takes from the workbooks: source rows, indicator values with origins, and
    the court-based groups' figures with their member councils."""

    sources: pd.DataFrame
    values: pd.DataFrame
    origins: list[tuple[str, int]]
    group_values: pd.DataFrame = field(default_factory=pd.DataFrame)
    group_members: pd.DataFrame = field(default_factory=pd.DataFrame)


def group_members(data_dir: Path, names: dict[str, str]) -> pd.DataFrame:
    """The declared membership of every court group in every cohort; each council in a group every cohort."""
    path = data_dir / PUBLISHED_DIR / COURT_GROUP_MEMBERS
    if not path.exists():
        raise WorkbookError(f"{PUBLISHED_DIR}/{COURT_GROUP_MEMBERS}: file is missing")
    members = pd.read_csv(path, dtype=str, keep_default_na=False)
    for cohort, rows in members.groupby("cohort"):
        unknown = sorted(set(rows["gss_code"]) - set(names))
        uncovered = sorted(names[c] for c in set(names) - set(rows["gss_code"]))
        if unknown or uncovered:
            raise WorkbookError(f"{PUBLISHED_DIR}/{COURT_GROUP_MEMBERS}, cohort {cohort}: rule 'every council is in a "
                                f"court group, by its GSS code' failed: "
                                + "; ".join(filter(None, [unknown and f"unknown codes {', '.join(unknown)}",
                                                          uncovered and f"no group for {', '.join(uncovered)}"])))
    return members


def group_rows(readings: list[Reading], source_of: dict[str, str]) -> pd.DataFrame:
    """court_group_value rows: one per group (and Scotland, High Court, Unknown) and cohort."""
    frames = []
    for reading in readings:
        values = reading.values.assign(court_group=lambda f: f["area"].where(f["gss_code"] != SCOTLAND_CODE, SCOTLAND))
        wide = values.pivot_table(index=["court_group", "period"], columns="indicator_id", values="value",
                                  aggfunc="first", dropna=False).reset_index()
        flags = (values.sort_values("suppressed", ascending=False)  # a "not published" note comes first
                 .groupby(["court_group", "period"]).agg(suppressed=("suppressed", "any"), note=("note", "first")))
        frames.append(wide.merge(flags.reset_index(), on=["court_group", "period"])
                      .assign(source_id=source_of[reading.table.workbook]))
    frame = pd.concat(frames, ignore_index=True)
    columns = ["period", "court_group", *(f for f, _, _ in GROUP_FIELDS), "suppressed", "source_id", "note"]
    return frame.reindex(columns=columns)


def load_all(data_dir: Path, tables: tuple[Table, ...] | None = None,
             group_tables: tuple[Table, ...] | None = None) -> Loaded:
    """Read and check every declared table (TABLES and GROUP_TABLES unless given); raise WorkbookError on any fault."""
    tables = TABLES if tables is None else tables
    group_tables = GROUP_TABLES if group_tables is None else group_tables
    recorded = provenance(data_dir)
    verify_checksums(data_dir, (*tables, *group_tables), recorded)
    lookup, names = authority_lookup(data_dir)
    source_of = dict(zip(recorded["file"], recorded["source_id"]))
    readings = [read_table(table, data_dir, lookup, names) for table in tables]
    read = {(r.indicator_id, r.gss_code, r.period): r.value for reading in readings
            for r in reading.values.itertuples() if r.gss_code is not None}
    frames, origins = [], []
    for reading in readings:
        frame, where = indicator_values(reading, source_of[reading.table.workbook], read)
        frames.append(frame)
        origins += where
    members = group_members(data_dir, names)
    group_readings = []
    for table in group_tables:
        declared = members.loc[members["cohort"] == table.columns[0].period, "court_group"].unique()
        group_readings.append(read_table(table, data_dir, {name_key(g): g for g in declared}, {g: g for g in declared}))
    used = recorded.loc[recorded["file"].isin({t.workbook for t in (*tables, *group_tables)})]
    values = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    groups = group_rows(group_readings, source_of) if group_readings else pd.DataFrame()
    group_members_frame = members.rename(columns={"cohort": "period"})[["period", "court_group", "gss_code", "basis"]]
    if len(groups):  # a membership comes from the footnotes of the table that publishes the group's figure
        group_members_frame = group_members_frame.merge(
            groups[["period", "court_group", "source_id"]].drop_duplicates(), on=["period", "court_group"], how="left")
    return Loaded(source_rows(used).reset_index(drop=True), values, origins, groups,
                  group_members_frame if group_readings else pd.DataFrame())
