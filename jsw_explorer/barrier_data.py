"""Barrier ratings made ready to chart: the matrix's sort orders, the pairs of themes reported together,
and whether a comparison sets illustrative ratings beside published values.

Data preparation only, no drawing: jsw_explorer.charts.barriers and .barrier_comparisons draw these rows.
"""

from __future__ import annotations

import pandas as pd

# The matrix can be sorted by these, and only these (an allow-list: the URL value picks a key).
MATRIX_SORTS = {"total": "Total impact, highest first", "name": "Authority name, A to Z"}


def matrix_order(frame: pd.DataFrame, sort: str) -> list[str]:
    """Authority names in display order, by an allow-listed sort key."""
    authorities = frame.drop_duplicates("gss_code")
    if sort == "name":
        return list(authorities.sort_values("authority")["authority"])
    if sort == "total":
        return list(authorities.sort_values(["impact_total", "authority"], ascending=[False, True])["authority"])
    raise ValueError(f"unknown matrix sort {sort!r}; choose one of {', '.join(MATRIX_SORTS)}")


def distinct_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Each unordered pair of different themes once."""
    return frame.loc[frame["theme_a_order"] < frame["theme_b_order"]]


def pairs_for(frame: pd.DataFrame, theme_id: str, levels: list[str]) -> pd.DataFrame:
    """From co-occurrence rows of all themes: the chosen theme against each other theme of the chosen levels."""
    return frame.loc[(frame["theme_a_id"] == theme_id) & (frame["theme_b_id"] != theme_id)
                     & frame["level_b"].isin(levels)].reset_index(drop=True)


def beside_published(frame: pd.DataFrame) -> bool:
    """Illustrative barrier ratings set beside published indicator values (for example reconviction)."""
    kinds = frame.loc[frame["value"].notna(), "source_kind"].fillna("")  # e.g. "illustrative, published"
    return bool((kinds.str.contains("published") & kinds.str.contains("illustrative")).any())
