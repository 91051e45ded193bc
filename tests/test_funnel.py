"""Funnel-plot limits and reference values against numbers worked out by hand.

Hand workings (z = 1.959964 for 95%, 3.090232 for 99.8%):
  Percent, target 70%, n = 100:  se = sqrt(0.7 × 0.3 / 100) = sqrt(0.0021) = 0.0458258
      95%:   70 ± 100 × 1.959964 × 0.0458258 = 70 ± 8.98169  -> 61.0183, 78.9817
      99.8%: 70 ± 100 × 3.090232 × 0.0458258 = 70 ± 14.16123 -> 55.8388, 84.1612
  Percent, target 70%, n = 400:  se = sqrt(0.21 / 400) = 0.0229129
      95%:   70 ± 4.49084  -> 65.5092, 74.4908;   99.8%: 70 ± 7.08061 -> 62.9194, 77.0806
  Rate per 10 000, target 40, n = 100 000:  se = sqrt(40 × 10 000 / 100 000) = sqrt(4) = 2
      95%:   40 ± 3.919928 -> 36.0801, 43.9199;  99.8%: 40 ± 6.180464 -> 33.8195, 46.1805
  Rate per 10 000, target 40, n = 10 000:  se = sqrt(40) = 6.324555
      95%:   40 ± 12.39589 -> 27.6041, 52.3959;  99.8%: 40 ± 19.54435 -> 20.4557, 59.5443
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jsw_explorer import funnel
from jsw_explorer.funnel import (ABOVE_95, ABOVE_998, BELOW_95, BELOW_998, WITHIN, control_limits, funnel_curve,
                                 funnel_points, peer_group_reference, pooled_value, proportion_limits, rate_limits,
                                 scotland_reference)


def test_z_values_are_the_two_sided_95_and_99_8_percent_points():
    assert funnel.Z_95 == pytest.approx(1.959964, abs=1e-6)
    assert funnel.Z_998 == pytest.approx(3.090232, abs=1e-6)


@pytest.mark.parametrize("n, z, lower, upper", [
    (100, funnel.Z_95, 61.0183, 78.9817),
    (100, funnel.Z_998, 55.8388, 84.1612),
    (400, funnel.Z_95, 65.5092, 74.4908),
    (400, funnel.Z_998, 62.9194, 77.0806),
])
def test_proportion_limits_match_the_hand_workings(n, z, lower, upper):
    low, high = proportion_limits(70.0, n, z)
    assert float(low) == pytest.approx(lower, abs=1e-3)
    assert float(high) == pytest.approx(upper, abs=1e-3)


@pytest.mark.parametrize("n, z, lower, upper", [
    (100_000, funnel.Z_95, 36.0801, 43.9199),
    (100_000, funnel.Z_998, 33.8195, 46.1805),
    (10_000, funnel.Z_95, 27.6041, 52.3959),
    (10_000, funnel.Z_998, 20.4557, 59.5443),
])
def test_rate_limits_match_the_hand_workings(n, z, lower, upper):
    low, high = rate_limits(40.0, n, z)
    assert float(low) == pytest.approx(lower, abs=1e-3)
    assert float(high) == pytest.approx(upper, abs=1e-3)


def test_limits_stay_inside_what_the_measure_can_be():
    # 99% of 10 cases: 3.09 × sqrt(0.99 × 0.01 / 10) = 0.097 above 0.99 would pass 100%
    low, high = proportion_limits(99.0, 10, funnel.Z_998)
    assert float(high) == 100.0 and float(low) < 99.0
    # a rate of 1 per 10 000 in 1 000 people: 1 ± 3.09 × sqrt(10) would go below zero
    low, _ = rate_limits(1.0, 1_000, funnel.Z_998)
    assert float(low) == 0.0


def test_limits_narrow_as_the_denominator_grows():
    curve = funnel_curve(70.0, 50, 2_000, "percent")
    widths = (curve["upper_998"] - curve["lower_998"]).to_numpy()
    assert (np.diff(widths) < 0).all()
    assert (curve["upper_998"] >= curve["upper_95"]).all() and (curve["lower_998"] <= curve["lower_95"]).all()


def test_counts_get_no_funnel():
    assert not funnel.supports_funnel("count") and not funnel.supports_funnel("average")
    with pytest.raises(ValueError):
        control_limits(10.0, [100], "count", funnel.Z_95)


def fixture_authorities() -> pd.DataFrame:
    """Seven authorities around a 70% target, each placed by the hand workings above (n = 100)."""
    return pd.DataFrame({
        "authority": ["Above far", "Above near", "Inside low", "Below near", "Below far", "No value", "No denominator"],
        "value": [85.0, 80.0, 62.0, 60.0, 50.0, None, 75.0],
        "numerator": [85, 80, 62, 60, 50, None, None],
        "denominator": [100, 100, 100, 100, 100, 100, None],
        "population_16_70": [50_000] * 7,
    })


def test_each_authority_is_placed_against_its_own_limits():
    # 85 > 84.16 (99.8% upper); 78.98 < 80 < 84.16; 62 > 61.02; 55.84 < 60 < 61.02; 50 < 55.84
    placed = funnel_points(fixture_authorities(), 70.0, "percent")
    positions = dict(zip(placed["authority"], placed["position"]))
    assert positions == {"Above far": ABOVE_998, "Above near": ABOVE_95, "Inside low": WITHIN,
                         "Below near": BELOW_95, "Below far": BELOW_998}


def test_a_percentage_without_a_denominator_is_not_placed_but_a_rate_uses_the_population():
    frame = fixture_authorities()
    assert "No denominator" not in set(funnel_points(frame, 70.0, "percent")["authority"])
    rates = frame.assign(value=[40.0] * 7)
    placed = funnel_points(rates, 40.0, "rate").set_index("authority")
    assert placed.at["No denominator", "funnel_denominator"] == 50_000
    assert placed.at["Above far", "funnel_denominator"] == 100


def test_peer_group_value_is_pooled_when_every_value_has_numerator_and_denominator():
    frame = pd.DataFrame({"value": [50.0, 90.0], "numerator": [10, 90], "denominator": [20, 100]})
    # (10 + 90) / (20 + 100) × 100 = 83.333...: the big authority counts for more than the median (70)
    reference = peer_group_reference(frame, "percent")
    assert reference.value == pytest.approx(83.3333, abs=1e-3)
    assert reference.basis.startswith("pooled") and "2 authorities" in reference.basis


def test_peer_group_value_is_the_median_when_a_denominator_is_missing_or_for_counts():
    frame = pd.DataFrame({"value": [50.0, 90.0, 60.0], "numerator": [10, 90, None], "denominator": [20, 100, None]})
    assert pooled_value(frame, "percent") is None
    reference = peer_group_reference(frame, "percent")
    assert reference.value == 60.0 and reference.basis.startswith("median of 3")
    counts = pd.DataFrame({"value": [5.0, 7.0, 100.0, None], "numerator": [None] * 4, "denominator": [None] * 4})
    assert peer_group_reference(counts, "count").value == 7.0


def test_missing_values_are_left_out_of_the_peer_value_not_counted_as_zero():
    frame = pd.DataFrame({"value": [40.0, None], "numerator": [4, None], "denominator": [1_000, None]})
    assert peer_group_reference(frame, "rate").value == pytest.approx(40.0)
    assert peer_group_reference(frame.iloc[1:], "rate") is None


def test_scotland_line_is_its_value_for_rates_and_the_median_authority_for_counts():
    frame = pd.DataFrame({"value": [10.0, 20.0, 90.0]})
    assert scotland_reference(71.0, frame, "percent").value == 71.0
    counts = scotland_reference(16_500.0, frame, "count")
    assert counts.value == 20.0 and "median" in counts.name
    assert scotland_reference(None, frame, "rate") is None


def test_no_median_line_when_fewer_than_half_the_authorities_have_a_value():
    # two councils reporting a count out of 32 say nothing about Scotland or a peer group
    frame = pd.DataFrame({"value": [553.0, 160.0] + [None] * 30, "numerator": None, "denominator": None})
    assert scotland_reference(None, frame, "count") is None
    assert peer_group_reference(frame, "count") is None
    half = frame.assign(value=[float(v) for v in range(16)] + [None] * 16)
    assert scotland_reference(None, half, "count").value == 7.5
