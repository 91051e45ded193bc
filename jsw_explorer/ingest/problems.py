"""What checking a return finds: located problems, the checked return and the outcome of a load."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from jsw_explorer.safe_text import shown


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a return, located as the person who made the file would look for it."""

    reason: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        """Located and in plain English; every piece of the user's text escaped (safe_text.shown)."""
        where = []
        if self.sheet:
            where.append(f"sheet {shown(self.sheet)}")
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {shown(self.column)}")
        text = ", ".join(where)
        if self.value is not None:
            text += f" (value {shown(self.value, 60)})"
        return f"{text[0].upper() + text[1:]}: {self.reason}" if text else self.reason

    def as_dict(self) -> dict:
        """One row of the problem table on the page (and its CSV): user text escaped, without quotes."""
        return {"sheet": escaped(self.sheet), "row": self.row, "column": escaped(self.column),
                "value": escaped(self.value, 60), "problem": self.reason}


def escaped(text: object, limit: int = 80) -> str:
    """User text for a table cell: unsafe characters escaped as in messages, long text cut."""
    return "" if text is None else shown(text, limit)[1:-1]


@dataclass
class CheckedReturn:
    file_name: str
    sha256: str
    size: int
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # sheet name -> normalised rows
    notes: list[str] = field(default_factory=list)
    rows: int = 0
    rows_read: dict[str, int] = field(default_factory=dict)  # sheet or file name -> data rows read from it

    @property
    def ok(self) -> bool:
        return not self.problems and self.rows > 0

    def problem_table(self) -> pd.DataFrame:
        return pd.DataFrame([p.as_dict() for p in self.problems],
                            columns=["sheet", "row", "column", "value", "problem"])


@dataclass
class Outcome:
    checked: CheckedReturn
    outcome: str          # 'loaded', 'rejected' or 'checked' (a dry run that would load)
    import_id: int | None = None
    seconds: float = 0.0
    preview: pd.DataFrame | None = None
