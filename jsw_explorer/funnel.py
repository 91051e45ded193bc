"""Statistics for comparing authorities fairly: funnel-plot control limits and reference values.

Pure functions on numbers and DataFrames; the formulas are the ones the outcomes page shows.

Funnel plot (Spiegelhalter 2005, as used by Public Health Scotland and PHE): each authority's value
is plotted against the size of its denominator; control limits around the Scotland value (the
target) narrow as the denominator grows, because a small authority's value varies more by chance.
An authority outside the 99.8% limits is unlikely (about 1 in 500 under the target) to differ
from Scotland by chance alone.

  Percentages (a proportion p = target / 100 of n cases; binomial, normal approximation):
      limits = 100 × ( p ± z × √( p (1 − p) / n ) ), kept within 0-100
  Rates per 10 000 population (a count from a population n; Poisson, normal approximation):
      the count has variance λn with λ = r / 10 000, so the rate r has standard error
      √( r × 10 000 / n ) and   limits = r ± z × √( r × 10 000 / n ), kept at 0 or above
  z = 1.960 for 95% limits (2-sided) and z = 3.090 for 99.8% limits.

Reference values for rankings:
  Scotland: the Scotland value itself for rates, percentages and averages; for counts the
      Scotland total is not comparable with one authority's count, so the median authority is used.
  Peer group: for rates and percentages where every authority with a value also has its
      numerator and denominator, the pooled value = sum of numerators / sum of denominators
      (× 100 or × 10 000), which weights authorities by size as the Scotland figure does;
      otherwise (counts, averages, or any value without its numerator and denominator) the
      median of the authorities' values.
  A median is drawn only when at least half of the authorities have a value (MIN_SHARE_FOR_MEDIAN):
  the median of the two councils that report a figure says nothing about Scotland or a group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

Z_95 = NormalDist().inv_cdf(0.975)    # 1.95996...: 2.5% in each tail
Z_998 = NormalDist().inv_cdf(0.999)   # 3.09023...: 0.1% in each tail
PER_POPULATION = 10_000               # every rate in this dataset is per 10 000 population aged 16-70
SCALES = {"percent": 100, "rate": PER_POPULATION}
MIN_SHARE_FOR_MEDIAN = 0.5

ABOVE_998 = "above the 99.8% limit"
ABOVE_95 = "above the 95% limit"
WITHIN = "within the 95% limits"
BELOW_95 = "below the 95% limit"
BELOW_998 = "below the 99.8% limit"
POSITIONS = [ABOVE_998, ABOVE_95, WITHIN, BELOW_95, BELOW_998]


def supports_funnel(value_type: str) -> bool:
    """Funnel plots need a proportion or a rate, with a denominator."""
    return value_type in SCALES


def proportion_limits(target_percent: float, n, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Binomial (normal approximation) limits, in percent, for denominators n."""
    p = target_percent / 100
    n = np.asarray(n, dtype=float)
    half_width = z * np.sqrt(p * (1 - p) / n)
    return 100 * np.clip(p - half_width, 0, 1), 100 * np.clip(p + half_width, 0, 1)


def rate_limits(target_rate: float, n, z: float, per: int = PER_POPULATION) -> tuple[np.ndarray, np.ndarray]:
    """Poisson (normal approximation) limits for a rate per `per` population, for populations n."""
    n = np.asarray(n, dtype=float)
    half_width = z * np.sqrt(target_rate * per / n)
    return np.clip(target_rate - half_width, 0, None), target_rate + half_width


def control_limits(target: float, n, value_type: str, z: float) -> tuple[np.ndarray, np.ndarray]:
    if value_type == "percent":
        return proportion_limits(target, n, z)
    if value_type == "rate":
        return rate_limits(target, n, z)
    raise ValueError(f"no funnel limits for a {value_type}")


def funnel_curve(target: float, smallest: float, largest: float, value_type: str, points: int = 60) -> pd.DataFrame:
    """The limit lines from the smallest to the largest denominator (geometric steps: smooth curves).

    60 steps draw the same lines as 120 (rendered at twice screen size, no pixel differs visibly) in
    half the bytes."""
    low = max(1.0, smallest * 0.8)
    n = np.unique(np.geomspace(low, max(largest * 1.05, low + 1), points).round(1))
    lower_95, upper_95 = control_limits(target, n, value_type, Z_95)
    lower_998, upper_998 = control_limits(target, n, value_type, Z_998)
    # Drawn, never reported (each authority's own limits come from funnel_points): three decimals is far
    # below a pixel, and 480 numbers of 17 digits were a quarter of the Outcomes page's first visit.
    return pd.DataFrame({"denominator": n, "lower_95": lower_95, "upper_95": upper_95,
                         "lower_998": lower_998, "upper_998": upper_998}).round(3)


def position(value: float, lower_95: float, upper_95: float, lower_998: float, upper_998: float) -> str:
    """Where a value lies against its limits; on a limit counts as within."""
    if value > upper_998:
        return ABOVE_998
    if value > upper_95:
        return ABOVE_95
    if value < lower_998:
        return BELOW_998
    if value < lower_95:
        return BELOW_95
    return WITHIN


def funnel_points(values: pd.DataFrame, target: float, value_type: str) -> pd.DataFrame:
    """Authorities that can be placed on the funnel, with their limits and position.

    values needs value, denominator and population_16_70. A rate published without its
    denominator is placed using the authority's population aged 16-70 (NRS mid-2022), which is
    what a per-10 000 rate is per; a percentage without a denominator cannot be placed.
    """
    frame = values.loc[values["value"].notna()].copy()
    frame["funnel_denominator"] = frame["denominator"]
    if value_type == "rate" and "population_16_70" in frame:
        frame["funnel_denominator"] = frame["funnel_denominator"].fillna(frame["population_16_70"])
    frame = frame.loc[frame["funnel_denominator"].notna() & (frame["funnel_denominator"] > 0)]
    n = frame["funnel_denominator"].to_numpy(dtype=float)
    frame["lower_95"], frame["upper_95"] = control_limits(target, n, value_type, Z_95)
    frame["lower_998"], frame["upper_998"] = control_limits(target, n, value_type, Z_998)
    frame["position"] = [position(*row) for row in frame[["value", "lower_95", "upper_95", "lower_998",
                                                          "upper_998"]].itertuples(index=False)]
    return frame


@dataclass(frozen=True)
class Reference:
    """A reference line: its name, value and how it was worked out (said on the page)."""

    name: str
    value: float
    basis: str


def pooled_value(values: pd.DataFrame, value_type: str) -> float | None:
    """Sum of numerators / sum of denominators (scaled), if every value has both; else None."""
    present = values.loc[values["value"].notna()]
    if value_type not in SCALES or present.empty:
        return None
    if present["numerator"].isna().any() or present["denominator"].isna().any():
        return None
    denominator = present["denominator"].sum()
    if denominator <= 0:
        return None
    return float(SCALES[value_type] * present["numerator"].sum() / denominator)


def peer_group_reference(values: pd.DataFrame, value_type: str, name: str = "Peer group") -> Reference | None:
    """The peer group's value: pooled for rates and percentages where possible, else the median."""
    present = values.loc[values["value"].notna()]
    if present.empty:
        return None
    count = len(present)
    pooled = pooled_value(present, value_type)
    if pooled is not None:
        return Reference(name, pooled, f"pooled: sum of numerators ÷ sum of denominators over {count} authorities")
    if count < MIN_SHARE_FOR_MEDIAN * len(values):
        return None
    return Reference(name, float(present["value"].median()), f"median of {count} authorities")


def scotland_reference(scotland_value: float | None, all_values: pd.DataFrame, value_type: str) -> Reference | None:
    """Scotland's line: its own value, or for counts the median of the 32 authorities."""
    if value_type == "count":
        present = all_values["value"].dropna()
        if present.empty or len(present) < MIN_SHARE_FOR_MEDIAN * len(all_values):
            return None
        return Reference("Scotland (median authority)", float(present.median()),
                         f"median of {len(present)} authorities; the Scotland total is not comparable with one authority's count")
    if scotland_value is not None and not (isinstance(scotland_value, float) and math.isnan(scotland_value)):
        return Reference("Scotland", float(scotland_value), "the Scotland value")
    return None
