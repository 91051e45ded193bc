"""The attacker audit of disclosure control: what an attacker could still work out about each hidden cell.

For each period, an integer linear programme holds every cell an attacker cannot see as an unknown
whole number >= 0, with every visible value, every published total (the Scotland row: the
authorities add up to it), every published Scotland percentage (the authorities' numerators over
their denominators, to its rounding) and the rule itself: a hidden small count is from 1 to 4, any
other hidden cell is 0 or at least 5 (the attacker is assumed to know which hidden cells are small,
which is more than the notes say). scipy's milp (the HiGHS solver) decides which values each hidden
cell can take. A small count passes when every value from 1 to 4 is still possible; any other hidden
cell passes when its smallest and largest possible values are at least rule.protection_width apart.

The rule's plan (disclosure.plan) runs this audit to choose further cells to hide; the build audits the
database it has written (`audit_database`) and refuses it if any hidden cell fails.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from jsw_explorer.config import DISCLOSURE_RULE, SCOTLAND_CODE, DisclosureRule

TOLERANCE = 1e-6  # slack when comparing sums of floats with a published total or percentage


def _number(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.replace({"": None}), errors="coerce").astype(float)


def is_finite(x: object) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


@dataclass(frozen=True)
class Finding:
    """A hidden cell an attacker can narrow too far, named by table and cell."""

    indicator_id: str
    period: str
    gss_code: str
    part: str  # 'value', 'numerator' or 'denominator'
    low: float
    high: float
    problem: str

    def __str__(self) -> str:
        return (f"table indicator_value, {self.indicator_id} {self.period}, cell {self.gss_code} "
                f"({self.part}): {self.problem}")


# --- The attacker audit ---------------------------------------------------------------------------

def audit(values: pd.DataFrame, hidden: pd.Series, value_types: dict[str, str],
          rate_of: dict[str, str] | None = None, rule: DisclosureRule = DISCLOSURE_RULE,
          authorities: Iterable[str] | None = None) -> list[Finding]:
    """Every hidden cell an attacker can narrow too far, given what `hidden` leaves visible.

    `values` holds the TRUE values (indicator_id, gss_code, period, value, numerator,
    denominator); `hidden` is True for rows shown as [c]. `authorities` is the full list of
    authority codes a complete table has (default: every non-Scotland code in `values`)."""
    frame = as_numbers(values)
    hidden = hidden.reindex(values.index).fillna(False).astype(bool).to_numpy()
    if authorities is None:
        authorities = frame.loc[frame["gss_code"] != SCOTLAND_CODE, "gss_code"].unique()
    authority_set = frozenset(authorities)
    findings: list[Finding] = []
    for _, positions in frame.groupby("period", sort=True).indices.items():
        if hidden[positions].any():
            findings += _audit_period(frame.iloc[positions], hidden[positions], value_types, rate_of or {},
                                      rule, authority_set)
    return findings


def as_numbers(values: pd.DataFrame) -> pd.DataFrame:
    """The key columns as text, and value, numerator and denominator as floats (a missing one NaN)."""
    frame = values[["indicator_id", "gss_code", "period"]].astype(str).reset_index(drop=True)
    for column in ("value", "numerator", "denominator"):
        frame[column] = _number(values[column].astype(object)).to_numpy() if column in values else np.nan
    return frame


def _audit_period(frame: pd.DataFrame, hidden: np.ndarray, value_types: dict[str, str], rate_of: dict[str, str],
                  rule: DisclosureRule, authorities: frozenset[str]) -> list[Finding]:
    denominators = dict(rule.denominators)
    period = frame["period"].iloc[0]
    truth: dict[tuple, float] = {}
    owner: dict[tuple, tuple[str, str, str]] = {}  # protected cell -> (indicator, gss_code, part)
    visible: dict[tuple, str] = {}  # cell -> indicator of a visible row that shows it
    pairs: list[tuple[tuple, tuple, str, str]] = []  # (numerator cell, denominator cell, indicator, gss)
    scotland_percent: dict[str, float] = {}
    for row, is_hidden in zip(frame.itertuples(index=False), hidden):
        ind, gss = row.indicator_id, row.gss_code
        if value_types.get(ind) == "count":
            key = ("v", ind, gss)
            truth[key] = row.value
            if is_hidden:
                owner[key] = (ind, gss, "value")
            else:
                visible.setdefault(key, ind)
        elif ind in rate_of:
            if not is_hidden and is_finite(row.numerator):
                visible.setdefault(("v", rate_of[ind], gss), ind)  # a rate shows its count as numerator
        elif is_finite(row.numerator) or is_finite(row.denominator):
            n_key = ("n", ind, gss)
            d_key = ("v", denominators[ind], gss) if ind in denominators else ("d", ind, gss)
            truth[n_key] = row.numerator
            truth.setdefault(d_key, row.denominator)
            pairs.append((n_key, d_key, ind, gss))
            if is_hidden:
                owner[n_key] = (ind, gss, "numerator")
                if ind not in denominators:
                    owner[d_key] = (ind, gss, "denominator")
            else:
                visible.setdefault(n_key, ind)
                visible.setdefault(d_key, ind)
        elif gss == SCOTLAND_CODE and not is_hidden and is_finite(row.value) and value_types.get(ind) == "percent":
            scotland_percent[ind] = row.value

    findings: list[Finding] = []
    for key, (ind, gss, part) in owner.items():
        if key in visible:
            findings.append(Finding(ind, period, gss, part, truth.get(key, math.nan), truth.get(key, math.nan),
                                    f"shown by the visible value of {visible[key]}"))
        elif not is_finite(truth.get(key)):
            findings.append(Finding(ind, period, gss, part, math.nan, math.nan, "no true value to audit"))
    unknown = [k for k in truth if k not in visible and is_finite(truth[k])]
    protected = [k for k in unknown if k in owner]
    if not protected:
        return findings

    position = {k: j for j, k in enumerate(unknown)}
    m = len(unknown)
    rows_a: list[np.ndarray] = []
    lower: list[float] = []
    upper: list[float] = []
    cap = {k: max(10.0 ** 7, 10 * truth[k]) for k in unknown}

    def known(key: tuple) -> float:
        return truth[key]

    # Published totals: the authorities add up to the Scotland figure.
    for ind in sorted({k[1] for k in truth if k[0] == "v"}):
        total_key = ("v", ind, SCOTLAND_CODE)
        if total_key not in visible or not is_finite(truth.get(total_key)):
            continue
        cells = [k for k in truth if k[0] == "v" and k[1] == ind and k[2] != SCOTLAND_CODE and is_finite(truth[k])]
        if not any(k in position for k in cells):
            continue
        total = truth[total_key]
        true_sum = sum(truth[k] for k in cells)
        complete = {k[2] for k in cells} >= authorities
        coefficients = np.zeros(m)
        constant = 0.0
        for k in cells:
            if k in position:
                coefficients[position[k]] = 1.0
                cap[k] = min(cap[k], total)
            else:
                constant += known(k)
        if complete and abs(true_sum - total) < TOLERANCE:
            rows_a.append(coefficients)
            lower.append(total - constant)
            upper.append(total - constant)
        elif not complete and true_sum <= total + TOLERANCE:
            rows_a.append(coefficients)
            lower.append(-np.inf)
            upper.append(total - constant)
        # otherwise the total is not the sum of these cells (rounded or defined differently): no constraint

    # A numerator is at most its denominator.
    for n_key, d_key, _, _ in pairs:
        if n_key in position or d_key in position:
            coefficients = np.zeros(m)
            constant = 0.0
            for key, sign in ((n_key, 1.0), (d_key, -1.0)):
                if key in position:
                    coefficients[position[key]] += sign
                elif is_finite(truth.get(key)):
                    constant += sign * truth[key]
                else:
                    coefficients = None
                    break
            if coefficients is not None:
                rows_a.append(coefficients)
                lower.append(-np.inf)
                upper.append(-constant)

    # Published Scotland percentages: sum of numerators / sum of denominators, to the rounding.
    for ind, rate in scotland_percent.items():
        own = [(n, d) for n, d, i, g in pairs if i == ind and g != SCOTLAND_CODE]
        if not own or {g for _, _, i, g in pairs if i == ind} < authorities:
            continue
        if not all(is_finite(truth.get(n)) and is_finite(truth.get(d)) for n, d in own):
            continue
        if not any(n in position or d in position for n, d in own):
            continue
        low_share = (rate - rule.percent_half_unit) / 100
        high_share = (rate + rule.percent_half_unit) / 100
        numerators = sum(truth[n] for n, _ in own)
        denominators_sum = sum(truth[d] for _, d in dict.fromkeys(own))
        if not low_share * denominators_sum - TOLERANCE <= numerators <= high_share * denominators_sum + TOLERANCE:
            continue
        for share, is_lower in ((low_share, True), (high_share, False)):
            coefficients = np.zeros(m)
            constant = 0.0
            for n, _ in own:
                if n in position:
                    coefficients[position[n]] += 1.0
                else:
                    constant += truth[n]
            for d in dict.fromkeys(d for _, d in own):
                if d in position:
                    coefficients[position[d]] -= share
                else:
                    constant -= share * truth[d]
            rows_a.append(coefficients)
            lower.append(-constant if is_lower else -np.inf)
            upper.append(np.inf if is_lower else -constant)

    # The rule: a hidden small count is from low to high; any other hidden cell is 0 or above high
    # (one binary switch each: cell >= (high + 1) * switch and cell <= cap * switch).
    small = {k for k in protected if rule.low <= truth[k] <= rule.high}
    switched = [k for k in protected if k not in small]
    n_vars = m + len(switched)
    var_low = np.zeros(n_vars)
    var_high = np.ones(n_vars)
    for k, j in position.items():
        var_low[j], var_high[j] = (rule.low, rule.high) if k in small else (0.0, cap[k])
    matrix = [np.concatenate([r, np.zeros(len(switched))]) for r in rows_a]
    for s, k in enumerate(switched):
        j = position[k]
        at_least = np.zeros(n_vars)
        at_least[j], at_least[m + s] = 1.0, -(rule.high + 1)
        at_most = np.zeros(n_vars)
        at_most[j], at_most[m + s] = 1.0, -cap[k]
        matrix += [at_least, at_most]
        lower += [0.0, -np.inf]
        upper += [np.inf, 0.0]
    blocks = Blocks(np.vstack(matrix) if matrix else np.zeros((0, n_vars)), np.asarray(lower, dtype=float),
                    np.asarray(upper, dtype=float), var_low, var_high)

    def extreme(j: int, sign: float) -> float | None:
        block, at = blocks.of(j)

        def solve() -> float | None:
            objective = np.zeros(len(block.low))
            objective[at] = sign
            result = milp(objective, constraints=block.constraints, integrality=np.ones(len(block.low)),
                          bounds=Bounds(block.low, block.high))
            return None if result.x is None else round(float(result.x[at]))
        return solved(block, at, ("extreme", sign), solve)

    def possible(j: int, value: int) -> bool:
        block, at = blocks.of(j)

        def solve() -> bool:
            fixed_low, fixed_high = block.low.copy(), block.high.copy()
            fixed_low[at] = fixed_high[at] = value
            result = milp(np.zeros(len(block.low)), constraints=block.constraints,
                          integrality=np.ones(len(block.low)), bounds=Bounds(fixed_low, fixed_high))
            return result.x is not None
        return solved(block, at, ("possible", value), solve)

    for k in protected:
        ind, gss, part = owner[k]
        j = position[k]
        if k in small:  # every value from low to high must stay possible, not only the two ends
            values_left = [v for v in range(rule.low, rule.high + 1) if possible(j, v)]
            if len(values_left) < rule.high - rule.low + 1:
                findings.append(Finding(ind, period, gss, part, min(values_left, default=math.nan),
                                        max(values_left, default=math.nan),
                                        f"an attacker can narrow it to {', '.join(map(str, values_left)) or 'nothing'}, "
                                        f"not the whole of {rule.low} to {rule.high}"))
            continue
        smallest, largest = extreme(j, 1.0), extreme(j, -1.0)
        if smallest is None or largest is None:
            findings.append(Finding(ind, period, gss, part, math.nan, math.nan,
                                    "the audit found no values consistent with what is shown"))
        elif largest - smallest < rule.protection_width:
            findings.append(Finding(ind, period, gss, part, smallest, largest,
                                    f"an attacker can narrow it to {smallest:g} to {largest:g}, narrower than "
                                    f"the protection width {rule.protection_width}"))
    return findings


@dataclass
class Block:
    """The cells linked to each other by the attacker's constraints, and those constraints alone."""

    constraints: list
    low: np.ndarray
    high: np.ndarray
    digest: bytes  # of the whole block (constraints and bounds): equal blocks give equal answers


# Answers already found, by block, variable and question. The build's plan audits a period again after
# each cell it hides, and only the block of that cell changed; copies of a table give equal blocks too.
_SOLVED: dict[tuple, object] = {}
SOLVED_LIMIT = 200_000


def solved(block: Block, at: int, question: tuple, solve):
    key = (block.digest, at, question)
    if key not in _SOLVED:
        if len(_SOLVED) >= SOLVED_LIMIT:
            _SOLVED.clear()
        _SOLVED[key] = solve()
    return _SOLVED[key]


class Blocks:
    """The period's problem split into independent blocks (cells that share no constraint, directly or
    through other cells, cannot tell anything about each other). The bounds found are the same as on the
    whole problem, as the true values satisfy every block; each solve is small, so the audit grows with
    the number of cells, not with its square (the benchmark's 100x data took most of its build here)."""

    def __init__(self, matrix: np.ndarray, lower: np.ndarray, upper: np.ndarray, low: np.ndarray,
                 high: np.ndarray):
        from scipy.sparse import bmat, csr_matrix
        from scipy.sparse.csgraph import connected_components

        links = csr_matrix(matrix != 0)
        graph = bmat([[None, links], [links.T, None]]) if matrix.shape[0] else csr_matrix((len(low), len(low)))
        _count, labels = connected_components(graph, directed=False)
        self.row_block = labels[:matrix.shape[0]]
        self.var_block = labels[matrix.shape[0]:]
        self.matrix, self.lower, self.upper, self.low, self.high = matrix, lower, upper, low, high
        self.built: dict[int, tuple[Block, np.ndarray]] = {}

    def of(self, j: int) -> tuple[Block, int]:
        """Variable j's block, and j's place in it."""
        label = int(self.var_block[j])
        if label not in self.built:
            variables = np.flatnonzero(self.var_block == label)
            rows = np.flatnonzero(self.row_block == label)
            matrix = self.matrix[np.ix_(rows, variables)]
            low, high = self.low[variables], self.high[variables]
            digest = hashlib.blake2b(b"".join(np.ascontiguousarray(a, dtype=float).tobytes() + str(a.shape).encode()
                                              for a in (matrix, self.lower[rows], self.upper[rows], low, high)),
                                     digest_size=20).digest()
            constraints = [LinearConstraint(matrix, self.lower[rows], self.upper[rows])] if len(rows) else []
            self.built[label] = (Block(constraints, low, high, digest), variables)
        block, variables = self.built[label]
        return block, int(np.searchsorted(variables, j))


def audit_database(connection, withheld: pd.DataFrame, rule: DisclosureRule = DISCLOSURE_RULE) -> list[Finding]:
    """Audit the indicator_value table as written (visible values, [c] cells), given the true
    values of the hidden rows (`withheld`: indicator_id, gss_code, period, value, numerator,
    denominator) that the build kept aside."""
    shown = connection.execute(
        "select indicator_id, gss_code, period, value, numerator, denominator, suppressed "
        "from indicator_value order by period, indicator_id, gss_code").df()
    value_types = dict(connection.execute("select indicator_id, value_type from indicator").fetchall())
    rate_of = dict(connection.execute(
        "select indicator_id, rate_of from indicator where rate_of is not null").fetchall())
    authorities = [code for (code,) in connection.execute("select gss_code from authority").fetchall()]
    if withheld is not None and len(withheld):
        true = as_numbers(withheld).set_index(["indicator_id", "gss_code", "period"])
        keys = pd.MultiIndex.from_frame(shown[["indicator_id", "gss_code", "period"]])
        hidden = shown["suppressed"].astype(bool).to_numpy()
        for column in ("value", "numerator", "denominator"):
            restored = true[column].reindex(keys).to_numpy()
            shown[column] = np.where(hidden, restored, shown[column].astype(float))
    return audit(shown, shown["suppressed"].astype(bool), value_types, rate_of, rule, authorities)
