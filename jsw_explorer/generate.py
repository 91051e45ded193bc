"""Seeded generator of the ILLUSTRATIVE per-authority dataset (not real data).

The review does not attribute findings to authorities, and only a few per-authority justice
statistics are public. This script fills the gaps with values that are plausible and agree with
everything published, so the app can be explored before real returns are imported:

- completeness: quality and outcomes evidence weaker on average than performance evidence
  (the review's main finding), with authority-level spread;
- barriers: all seven themes present, each reported by a plausible share of authorities,
  more often (and with more impact) where evidence is weaker;
- indicators: per-authority counts add up exactly to the published Scotland figure for the
  year; completion rates' order-weighted mean equals the published Scotland rate; published
  per-authority values are kept as published (counts) or used to set the count (rates);
  published statements about how many authorities' rates rose (PUBLISHED_RISES) hold;
  Poisson noise makes small authorities volatile, as real small counts are.
- East Dunbartonshire, the one publicly known validation site, is nudged towards what its own
  council note says (performance framework a strength; quality assurance framework to develop).

Run `python -m jsw_explorer.generate` to rewrite data/illustrative/*.csv. Same seed, same bytes.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jsw_explorer.config import DATA_DIR, SCOTLAND_CODE

SEED = 20250610  # the review's publication date
REVIEW_ID = "2024-25"
SOURCE_ID = "illustrative-generator"
EAST_DUNBARTONSHIRE = "S12000045"

# Mean completeness level (0-3) per domain: performance strongest, outcomes weakest.
DOMAIN_BASE_LEVEL = {"performance": 2.0, "quality": 1.25, "outcomes": 0.85}

# Share of authorities expected to report each barrier theme (before authority effects).
THEME_BASE_SHARE = {
    "information_systems": 0.75,
    "resource_constraints": 0.70,
    "staffing_issues": 0.65,
    "reporting_demands": 0.50,
    "shared_strategy": 0.60,
    "leadership_roles": 0.45,
    "national_data_infrastructure": 0.70,
}
# Themes that share a "systems and returns burden" factor, so they tend to be reported together.
SYSTEMS_THEMES = {"information_systems", "reporting_demands", "national_data_infrastructure"}

# Count indicators generated for every year with a published Scotland total, and the published
# per-authority rate that, where it exists, fixes the authority's count.
COUNT_INDICATORS = {
    "cpo_commenced": "cpo_per_10000_pop_16_70",
    "dtto_commenced": "dtto_per_10000_pop_16_70",
    "cpo_terminated": None,
    "upw_hours_imposed": None,
}
COMPLETION_RATE = "cpo_successful_completion_rate"

# Published statements about how many authorities' rates rose from one year to the next, which
# the generated counts must agree with (as the app shows the rates: published where published,
# else calculated from the count and the NRS mid-2022 population, to one decimal place):
# (count indicator, its rate, year, previous year, authorities whose rate rose, where it is said).
PUBLISHED_RISES = (
    ("cpo_commenced", "cpo_per_10000_pop_16_70", "2022-23", "2021-22", 28,
     "https://www.gov.scot/publications/justice-social-work-statistics-scotland-2022-23/pages/8/"),
)


@dataclass(frozen=True)
class Authority:
    gss_code: str
    name: str
    family_group_people: int
    population_16_70: int


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total in proportion to weights, exactly, ties broken by position."""
    weights = np.asarray(weights, dtype=float)
    if total == 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=int)
    shares = total * weights / weights.sum()
    base = np.floor(shares).astype(int)
    short = total - int(base.sum())
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - base[i]), i))
    for i in order[:short]:
        base[i] += 1
    return base


def load_authorities(data_dir: Path) -> list[Authority]:
    population = {row["gss_code"]: int(row["population_16_70"]) for row in read_csv(data_dir / "population.csv")}
    rows = read_csv(data_dir / "local_authorities.csv")
    authorities = [
        Authority(row["gss_code"], row["name"], int(row["lgbf_family_group_people_services"]), population[row["gss_code"]])
        for row in rows
    ]
    return sorted(authorities, key=lambda a: a.gss_code)


def published_statistics(data_dir: Path) -> dict[tuple[str, str, str], float]:
    """(indicator, gss_code, period) -> value, preferred official rows only (not council-reported)."""
    values = {}
    for row in read_csv(data_dir / "jsw_statistics.csv"):
        if row["preferred"].upper() != "TRUE" or row["indicator"].startswith("council_reported_"):
            continue
        values[(row["indicator"], row["gss_code"], row["year"])] = float(row["value"])
    return values


def generate_capacity(rng: np.random.Generator, authorities: list[Authority]) -> dict[str, float]:
    """A latent 'data capacity' per authority: higher means fuller evidence and fewer barriers."""
    capacity = {a.gss_code: float(rng.normal(0, 1)) for a in authorities}
    capacity[EAST_DUNBARTONSHIRE] = max(capacity[EAST_DUNBARTONSHIRE], 1.0)
    return capacity


def generate_completeness(rng, authorities, capacity, items) -> list[dict]:
    item_offset = {item["item_id"]: float(rng.normal(0, 0.35)) for item in items}
    rows = []
    for authority in authorities:
        for item in items:
            latent = (
                DOMAIN_BASE_LEVEL[item["domain_id"]]
                + item_offset[item["item_id"]]
                + 0.45 * capacity[authority.gss_code]
                + rng.normal(0, 0.6)
            )
            level = int(min(3, max(0, round(latent))))
            if authority.gss_code == EAST_DUNBARTONSHIRE:
                if item["domain_id"] == "performance":
                    level = max(level, 2)  # "Performance framework provides assurance"
                if item["item_id"] == "qual_qa_framework":
                    level = 1  # "Development and implementation of a quality assurance framework"
            rows.append(
                {"review_id": REVIEW_ID, "gss_code": authority.gss_code, "item_id": item["item_id"],
                 "level": level, "source_id": SOURCE_ID}
            )
    return rows


def generate_barriers(rng, authorities, capacity, themes) -> list[dict]:
    systems_burden = {a.gss_code: float(rng.normal(0, 1)) for a in authorities}
    rows = []
    for authority in authorities:
        for theme in themes:
            theme_id = theme["theme_id"]
            base = THEME_BASE_SHARE[theme_id]
            logit = math.log(base / (1 - base)) - 0.7 * capacity[authority.gss_code]
            if theme_id in SYSTEMS_THEMES:
                logit += 0.9 * systems_burden[authority.gss_code]
            logit += rng.normal(0, 0.4)
            reported = bool(rng.random() < 1 / (1 + math.exp(-logit)))
            severity = 1 / (1 + math.exp(0.6 * capacity[authority.gss_code]))
            impact = 1 + int(rng.binomial(2, severity)) if reported else 0
            rows.append(
                {"review_id": REVIEW_ID, "gss_code": authority.gss_code, "theme_id": theme_id,
                 "reported": "true" if reported else "false", "impact": impact, "note": "",
                 "source_id": SOURCE_ID}
            )
    return rows


def scotland_periods(published, indicator: str) -> list[str]:
    return sorted(period for (ind, code, period) in published if ind == indicator and code == SCOTLAND_CODE)


def generate_counts(rng, authorities, published, propensity) -> dict[tuple[str, str, str], int]:
    """Per-authority counts that add up exactly to each published Scotland total."""
    counts: dict[tuple[str, str, str], int] = {}
    for indicator, fixing_rate in COUNT_INDICATORS.items():
        for period in scotland_periods(published, indicator):
            total = int(round(published[(indicator, SCOTLAND_CODE, period)]))
            fixed = {}
            for a in authorities:
                if (indicator, a.gss_code, period) in published:
                    fixed[a.gss_code] = int(published[(indicator, a.gss_code, period)])
                elif fixing_rate and (fixing_rate, a.gss_code, period) in published:
                    rate = published[(fixing_rate, a.gss_code, period)]
                    fixed[a.gss_code] = int(round(rate * a.population_16_70 / 10_000))
            free = [a for a in authorities if a.gss_code not in fixed]
            remaining = total - sum(fixed.values())
            if remaining < 0:
                raise ValueError(f"{indicator} {period}: published authority values exceed the Scotland total")
            weights = np.array([a.population_16_70 * propensity[a.gss_code] * rng.lognormal(0, 0.08) for a in free])
            draws = rng.poisson(remaining * weights / weights.sum()) + 1e-9 * weights  # Poisson: small areas volatile
            for a, value in zip(free, largest_remainder(remaining, draws)):
                counts[(indicator, a.gss_code, period)] = int(value)
            for code, value in fixed.items():
                counts[(indicator, code, period)] = value  # kept for the sum check, written by jsw_statistics
    return counts


def agree_with_published_rises(counts, authorities, published) -> None:
    """Move orders between authorities within a year (each Scotland total unchanged, published
    values untouched) until exactly the published number of authorities' rates rose."""
    population = {a.gss_code: a.population_16_70 for a in authorities}
    for indicator, rate_indicator, year, previous, risers, _ in PUBLISHED_RISES:
        codes = [a.gss_code for a in authorities
                 if (indicator, a.gss_code, year) in counts and (indicator, a.gss_code, previous) in counts]

        def rate(code: str, period: str) -> float:
            if (rate_indicator, code, period) in published:
                return published[(rate_indicator, code, period)]
            return round(10_000 * counts[(indicator, code, period)] / population[code], 1)

        def margin(code: str) -> float:
            return rate(code, year) - rate(code, previous)

        def free(code: str, period: str) -> bool:
            return (indicator, code, period) not in published and (rate_indicator, code, period) not in published

        def move(period: str, giver: str, taker: str) -> None:
            counts[(indicator, giver, period)] -= 1
            counts[(indicator, taker, period)] += 1

        for _ in range(100_000):
            rising = sorted((c for c in codes if margin(c) > 0), key=lambda c: (-margin(c), c))
            if len(rising) == risers:
                break
            if len(rising) < risers:  # lift the non-riser closest to rising, from the riser with most to spare
                target = max((c for c in codes if margin(c) <= 0), key=lambda c: (margin(c), c))
                donor = rising[0]
                if free(target, year) and free(donor, year) and donor != target:
                    move(year, donor, target)
                else:
                    move(previous, target, donor)
            else:  # lower the riser closest to not rising, giving to the riser with most to spare
                target = min(rising, key=lambda c: (margin(c), c))
                donor = rising[0] if rising[0] != target else rising[1]
                if free(target, year) and free(donor, year):
                    move(year, target, donor)
                else:
                    move(previous, donor, target)
        else:
            raise ValueError(f"{indicator} {year}: cannot agree with {risers} authorities rising")


def generate_completion(rng, authorities, published, counts, capacity) -> list[dict]:
    """Successful completion rates whose order-weighted mean equals the published Scotland rate."""
    rows = []
    for period in scotland_periods(published, COMPLETION_RATE):
        scotland_rate = published[(COMPLETION_RATE, SCOTLAND_CODE, period)] / 100
        terminated = []
        for a in authorities:
            if ("cpo_terminated", a.gss_code, period) in counts:
                terminated.append(counts[("cpo_terminated", a.gss_code, period)])
            else:  # no published terminated total this year: orders terminated ~ orders commenced
                terminated.append(max(1, int(round(counts[("cpo_commenced", a.gss_code, period)] * rng.uniform(0.9, 1.05)))))
        terminated = np.array(terminated)
        probability = np.clip(
            [scotland_rate + 0.025 * capacity[a.gss_code] + rng.normal(0, 0.03) for a in authorities], 0.4, 0.95
        )
        completed = rng.binomial(terminated, probability)
        target = int(round(scotland_rate * terminated.sum()))
        completed = np.minimum(largest_remainder(target, completed + 1e-9), terminated)
        while completed.sum() < target:  # hand back anything the cap removed, to rows with room
            room = np.flatnonzero(completed < terminated)
            completed[room[0]] += 1
        for a, num, den in zip(authorities, completed, terminated):
            rows.append(
                {"indicator_id": COMPLETION_RATE, "gss_code": a.gss_code, "period": period,
                 "value": f"{100 * num / den:.1f}", "numerator": int(num), "denominator": int(den),
                 "source_id": SOURCE_ID}
            )
    return rows


def generate(data_dir: Path = DATA_DIR, seed: int = SEED) -> dict[str, str]:
    """Return {file name: CSV text} for the illustrative dataset."""
    rng = np.random.default_rng(seed)
    authorities = load_authorities(data_dir)
    published = published_statistics(data_dir)
    themes = read_csv(data_dir / "barrier_themes.csv")
    items = read_csv(data_dir / "evidence_items.csv")

    capacity = generate_capacity(rng, authorities)
    completeness = generate_completeness(rng, authorities, capacity, items)
    barriers = generate_barriers(rng, authorities, capacity, themes)

    # Deprived areas (people-services family group 4) sentence more; a fixed propensity per authority.
    propensity = {a.gss_code: float(rng.lognormal(0, 0.25)) * math.exp(0.2 * (a.family_group_people - 2.5))
                  for a in authorities}
    counts = generate_counts(rng, authorities, published, propensity)
    agree_with_published_rises(counts, authorities, published)
    indicator_rows = [
        {"indicator_id": ind, "gss_code": code, "period": period, "value": value, "numerator": "",
         "denominator": "", "source_id": SOURCE_ID}
        for (ind, code, period), value in counts.items()
        if (ind, code, period) not in published
    ]
    indicator_rows += generate_completion(rng, authorities, published, counts, capacity)
    indicator_rows.sort(key=lambda r: (r["indicator_id"], r["period"], r["gss_code"]))

    return {
        "authority_barriers.csv": to_csv(barriers),
        "completeness.csv": to_csv(completeness),
        "indicator_values.csv": to_csv(indicator_rows),
    }


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write(data_dir: Path = DATA_DIR, seed: int = SEED) -> list[Path]:
    out_dir = data_dir / "illustrative"
    out_dir.mkdir(exist_ok=True)
    written = []
    for name, text in generate(data_dir, seed).items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        print(f"wrote {path}")
