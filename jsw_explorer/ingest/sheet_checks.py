"""Checking one sheet: columns, types, ranges, allowed values, authorities and duplicated keys."""

from __future__ import annotations

import difflib
import math
import re

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from jsw_explorer.ingest.problems import Problem
from jsw_explorer.ingest.reading import RawSheet
from jsw_explorer.reference import Reference
from jsw_explorer.safe_text import has_unsafe
from jsw_explorer.returns import AUTHORITY, CHOICE, COLUMN_ALIASES, ID, NUMBER, TEXT, WHOLE, YES_NO, TableSpec

MAX_TEXT_LENGTH = 500
ID_PATTERN = r"[a-z][a-z0-9_]{0,59}"
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0"}
# One way to write a number: ASCII digits, a full stop as the decimal mark, an optional sign and
# exponent; nothing else is guessed (no decimal comma, thousands separator or other digits).
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
NUMBER_RULE = ("write numbers with a full stop as the decimal mark and no thousands separators, for example 8.5 or "
               "1234. A percentage may be written 70.8 or 70.8%.")
UNSAFE_REASON = ("holds a control, bidirectional or zero-width character (shown escaped), which is refused: it can "
                 "make text read differently from what it holds. Delete the character and type the value again.")


def parse_cell(kind: str, text: str) -> tuple[object, str]:
    """(value, '') or (None, reason) for one non-empty cell of a typed column. Numbers are read by
    the rule in NUMBER_RULE; a trailing percent sign is dropped here (70.8% is 70.8) and allowed
    only where the checks across sheets find a percentage indicator."""
    if kind in (WHOLE, NUMBER):
        number_text = text[:-1].rstrip() if text.endswith("%") else text
        if not PLAIN_NUMBER.fullmatch(number_text):
            return None, number_problem(text)
        number = float(number_text)
        if math.isnan(number) or math.isinf(number):
            return None, "is not a number."
        if kind == WHOLE:
            if text.endswith("%"):
                return None, "has a percent sign: this column is a whole number (a level or an impact), not a percentage."
            if not number.is_integer():
                return None, "must be a whole number."
            return int(number), ""
        return number, ""
    if kind == YES_NO:
        word = text.casefold()
        if word in TRUE_WORDS:
            return True, ""
        if word in FALSE_WORDS:
            return False, ""
        return None, "must be yes or no."
    if kind == CHOICE:
        return text.casefold(), ""
    return text, ""


def number_problem(text: str) -> str:
    """Why a cell is not read as a number, and how to write it."""
    if text in ("[c]", "c", "*", ".."):
        return "is not a number. Give the exact figure: the tool hides small counts itself."
    if "," in text and re.search(r"\d", text):
        return ("has a comma, which could be a decimal comma (8,5) or a thousands separator (1,234): " + NUMBER_RULE)
    if re.search(r"\d\s+\d", text):
        return "has a space inside the number (a thousands separator?): " + NUMBER_RULE
    return "is not a number. " + NUMBER_RULE


PANDERA_DTYPES = {WHOLE: "Int64", NUMBER: "Float64", YES_NO: "boolean"}


def pandera_schema(spec: TableSpec, present: list[str]) -> pa.DataFrameSchema:
    """Per-column rules (required, ranges, allowed values, id format) and the table's unique key."""
    columns = {}
    for column in spec.columns:
        if column.name not in present:
            continue
        checks = []
        if column.low is not None:
            checks.append(pa.Check.in_range(column.low, column.high,
                                            error=f"is out of range: it must be from {column.low:g} to {column.high:g}."))
        if column.choices:
            checks.append(pa.Check.isin(column.choices, error=f"must be one of: {', '.join(column.choices)}."))
        if column.kind == ID and spec.optional and column.name == spec.key[0]:
            checks.append(pa.Check.str_matches(ID_PATTERN, error="must be lower-case letters, digits and "
                                               "underscores, starting with a letter (at most 60)."))
        if column.kind == TEXT:
            checks.append(pa.Check.str_length(max_value=MAX_TEXT_LENGTH,
                                              error=f"is too long: at most {MAX_TEXT_LENGTH} characters."))
        name = "gss_code" if column.kind == AUTHORITY else column.name
        columns[name] = pa.Column(PANDERA_DTYPES.get(column.kind, "string"), checks=checks,
                                  nullable=not column.required)
    unique = [c for c in spec.key if c in columns]
    return pa.DataFrameSchema(columns, unique=unique if len(unique) == len(spec.key) else None,
                              report_duplicates="all")


def rows_as_dicts(frame: pd.DataFrame) -> dict[int, dict[str, object]]:
    """row -> {column: value}, made column by column: pandas' scalar access (frame.at) and
    to_dict('index') cost microseconds per cell, too slow for a return at the row limit."""
    columns = list(frame.columns)
    values = [frame[c].astype(object).tolist() for c in columns]
    return {row: dict(zip(columns, cells)) for row, cells in zip(frame.index, zip(*values))} if columns else \
        {row: {} for row in frame.index}


def check_sheet(sheet: RawSheet, reference: Reference) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Columns, types, ranges, allowed values, authorities and duplicated keys of one sheet."""
    spec, label, problems = sheet.spec, sheet.label, []
    header = [COLUMN_ALIASES.get(h, h) if COLUMN_ALIASES.get(h, h) not in sheet.header else h for h in sheet.header]
    seen = set()
    for position, name in enumerate(header):
        if not name:
            if any(cells[position] for _, cells in sheet.rows):
                problems.append(Problem(f"column {position + 1} has values but no header.", label, 1))
        elif has_unsafe(name):
            problems.append(Problem(UNSAFE_REASON, label, 1, name))
        elif name in seen:
            problems.append(Problem("this column header appears twice.", label, 1, name))
        elif name not in spec.column_names:
            close = difflib.get_close_matches(name, spec.column_names, n=1, cutoff=0.6)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(f"unexpected column: the {spec.sheet} sheet has columns "
                                    f"{', '.join(spec.column_names)}.{hint}", label, 1, name))
        seen.add(name)
    missing = [c for c in spec.required_columns if c not in header]
    if missing:
        problems.append(Problem(f"missing column(s): {', '.join(missing)}. The template's {spec.sheet} sheet has "
                                "every column this table needs.", label, 1))
    present = [c.name for c in spec.columns if c.name in header]
    index = [number for number, _ in sheet.rows]
    raw = pd.DataFrame([[cells[header.index(c)] for c in present] for _, cells in sheet.rows],
                       columns=present, index=index, dtype=object)
    typed = pd.DataFrame(index=index)
    bad_cells: set[tuple[int, str]] = set()
    for name in present:
        column = spec.column(name)
        values = []
        for row, text in raw[name].items():
            if not text:
                values.append(None)
                continue
            if has_unsafe(text):
                problems.append(Problem(UNSAFE_REASON, label, row, name, text))
                bad_cells.add((row, "gss_code" if column.kind == AUTHORITY else name))
                values.append(None)
                continue
            if column.kind in (WHOLE, NUMBER) and text.endswith("%"):
                sheet.percent_cells.add((row, name))
            if column.kind == AUTHORITY:
                code, reason = reference.resolve_authority(text)
                if reason:
                    problems.append(Problem(reason, label, row, name, text))
                    bad_cells.add((row, "gss_code"))
                values.append(code)
                continue
            value, reason = parse_cell(column.kind, text)
            if reason:
                problems.append(Problem(reason, label, row, name, text))
                bad_cells.add((row, name))
            values.append(value)
        target = "gss_code" if column.kind == AUTHORITY else name
        typed[target] = pd.Series(values, index=index, dtype=PANDERA_DTYPES.get(column.kind, "string"))
    try:
        pandera_schema(spec, present).validate(typed, lazy=True)
    except SchemaErrors as errors:
        problems += translate_pandera(errors.failure_cases, spec, label, raw, typed, bad_cells)
    return typed, problems


def translate_pandera(failures: pd.DataFrame, spec: TableSpec, label: str, raw: pd.DataFrame, typed: pd.DataFrame,
                      bad_cells: set[tuple[int, str]]) -> list[Problem]:
    problems, duplicate_rows = [], set()
    raw_rows, typed_rows = rows_as_dicts(raw), rows_as_dicts(typed)
    shown_name = {"gss_code": "authority"}
    failures = failures.rename(columns={"index": "row_index"})
    for failure in failures.itertuples(index=False):
        row = None if pd.isna(failure.row_index) else int(failure.row_index)
        column = failure.column
        if failure.check == "multiple_fields_uniqueness":
            if row is not None:
                duplicate_rows.add(row)
            continue
        if row is None or (row, column) in bad_cells:
            continue  # a cell already reported as unreadable
        name = shown_name.get(column, column)
        value = raw_rows[row].get(name)
        if failure.check == "not_nullable":
            problems.append(Problem("is empty: this column must be filled in.", label, row, name))
        elif str(failure.check).startswith(("dtype", "coerce")):
            continue
        else:
            problems.append(Problem(str(failure.check), label, row, name, value))
    if duplicate_rows:
        key_names = [shown_name.get(k, k) for k in spec.key]
        groups: dict[tuple, list[int]] = {}
        for row in sorted(duplicate_rows):  # grouped by meaning: "Fife" and "S12000047" are the same key
            groups.setdefault(tuple(str(typed_rows[row].get(k)) for k in spec.key), []).append(row)
        for rows in groups.values():
            for row in rows[1:]:
                key_text = " / ".join(str(raw_rows[row][k]) for k in key_names if k in raw)
                problems.append(Problem(f"duplicated key: the same {', '.join(key_names)} as row {rows[0]}. "
                                        "Give each one once.", label, row, key_names[-1], key_text))
    return problems
