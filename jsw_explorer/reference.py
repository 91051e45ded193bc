"""What a return may refer to: the ids and names in the database, and how names are matched.

Used by the importer (jsw_explorer.ingest) to check returns and by the template (jsw_explorer.template)
to list the allowed values.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from jsw_explorer.config import SCOTLAND_CODE
from jsw_explorer.data_access import load_sql, open_read_only


def normalise_name(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("&", " and ")
    return re.sub(r"[\s\-_.,'’()]+", " ", text).strip()


@dataclass
class Reference:
    """The ids and names a return may use, read from the database (import_reference.sql)."""

    frame: pd.DataFrame
    facts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["table_name", "slice_id", "gss_code", "item_key", "value", "source_kind"]))

    def __post_init__(self) -> None:
        f = self.frame
        by_kind = {kind: group for kind, group in f.groupby("kind")}
        authorities = by_kind.get("authority", f.iloc[0:0])
        self.authority_names = dict(zip(authorities["id"], authorities["label"]))
        self.lookup: dict[str, str] = {}
        for code, name, body in authorities[["id", "label", "detail"]].itertuples(index=False):
            self.lookup[code.casefold()] = code
            self.lookup[normalise_name(name)] = code
            if isinstance(body, str):
                self.lookup[normalise_name(body)] = code
        for code, alias in by_kind.get("alias", f.iloc[0:0])[["id", "label"]].itertuples(index=False):
            self.lookup.setdefault(alias.casefold(), code)
            self.lookup.setdefault(normalise_name(alias), code)
        self.ids = {kind: list(group["id"]) for kind, group in by_kind.items() if kind not in ("authority", "alias")}
        indicators = by_kind.get("indicator", f.iloc[0:0])
        self.value_types = dict(zip(indicators["id"], indicators["detail"]))
        self.rate_of = {i: r for i, r in zip(indicators["id"], indicators["extra"]) if isinstance(r, str) and r}
        self.labels = {kind: set(group["label"]) for kind, group in by_kind.items()}
        self.max_sort = {kind: float(group["sort_order"].max()) for kind, group in by_kind.items()}
        periods = by_kind.get("period", f.iloc[0:0])
        self.period_kinds = dict(zip(periods["id"], periods["detail"]))

    def resolve_authority(self, text: str) -> tuple[str | None, str]:
        """(gss_code, '') or (None, why not, with a suggestion)."""
        raw = text.strip()
        code = self.lookup.get(raw.casefold()) or self.lookup.get(normalise_name(raw))
        if code:
            return code, ""
        if raw.upper() == SCOTLAND_CODE or normalise_name(raw) == "scotland":
            return None, ("Scotland is not an authority: Scotland figures come from the published statistics, "
                          "so a return holds the 32 authorities only.")
        names = {normalise_name(n): n for n in self.authority_names.values()}
        candidates = list(names) + [k for k in self.lookup if k not in names]
        close = difflib.get_close_matches(normalise_name(raw), candidates, n=1, cutoff=0.6)
        if close:
            suggestion = names.get(close[0]) or self.authority_names[self.lookup[close[0]]]
            return None, f"unknown authority. Did you mean '{suggestion}'?"
        return None, "unknown authority: use a council area name or its GSS code (see the allowed_values sheet)."

    def suggest(self, kind: str, value: str, extra: list[str] = ()) -> str:
        known = [*self.ids.get(kind, []), *extra]
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        return f" Did you mean '{close[0]}'?" if close else ""


def read_reference(db_path: Path) -> Reference:
    with open_read_only(db_path) as connection:
        frame = connection.execute(load_sql("import_reference")).df()
        facts = connection.execute(load_sql("import_fact_keys")).df()
    return Reference(frame, facts)
