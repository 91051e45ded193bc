"""What checking a return finds: located problems, the checked return and the outcome of a load."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a return, located as the person who made the file would look for it."""

    reason: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = ", ".join(where)
        if self.value is not None:
            text += f" (value '{shorten(self.value)}')"
        return f"{text[0].upper() + text[1:]}: {self.reason}" if text else self.reason

    def as_dict(self) -> dict:
        return {"sheet": self.sheet or "", "row": self.row, "column": self.column or "",
                "value": shorten(self.value) if self.value is not None else "", "problem": self.reason}


def shorten(text: str, limit: int = 60) -> str:
    text = str(text).replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass
class CheckedReturn:
    file_name: str
    sha256: str
    size: int
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # sheet name -> normalised rows
    notes: list[str] = field(default_factory=list)
    rows: int = 0

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
