"""Most similar authorities: a documented distance on size, sentencing volumes and context.

Method (shown on the profile page): each measure is put on a common scale (z-score across the
32 authorities; population on a log scale, because a city is not 10 times "more different" from a
town than the town is from an island); the distance between two authorities is the Euclidean
distance over the measures, each with the weight below. Missing measures are left out of that
pair's distance (and the remaining weights rescaled), so a gap never counts as similarity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Measure -> weight. Volumes matter most for comparing justice outcomes; the family groups bring in
# deprivation (people services) and rurality (other services) where no other measure exists.
SIMILARITY_WEIGHTS = {
    "log_population_16_70": 1.0,
    "cpo_rate": 1.0,
    "dtto_rate": 0.5,
    "family_group_people": 0.75,
    "family_group_other": 0.75,
}


def standardised_measures(features: pd.DataFrame) -> pd.DataFrame:
    measures = pd.DataFrame({
        "log_population_16_70": np.log(features["population_16_70"].astype(float)),
        "cpo_rate": features["cpo_rate"].astype(float),
        "dtto_rate": features["dtto_rate"].astype(float),
        "family_group_people": features["family_group_people"].astype(float),
        "family_group_other": features["family_group_other"].astype(float),
    })
    spread = measures.std(ddof=0).replace(0, 1)
    return ((measures - measures.mean()) / spread).set_axis(features["gss_code"])


def distances_from(features: pd.DataFrame, gss_code: str) -> pd.Series:
    """Weighted Euclidean distance from one authority to every other (self excluded)."""
    z = standardised_measures(features)
    weights = pd.Series(SIMILARITY_WEIGHTS)
    subject = z.loc[gss_code]
    result = {}
    for other, row in z.drop(index=gss_code).iterrows():
        present = subject.notna() & row.notna()
        if not present.any():
            continue
        w = weights[present] / weights[present].sum() * weights.sum()
        result[other] = float(np.sqrt((w * (subject[present] - row[present]) ** 2).sum()))
    return pd.Series(result, name="distance").sort_values()


def most_similar(features: pd.DataFrame, gss_code: str, count: int = 5) -> pd.DataFrame:
    """The nearest authorities with their distance and measures, nearest first."""
    nearest = distances_from(features, gss_code).head(count)
    table = features.set_index("gss_code").loc[list(nearest.index)].rename_axis("gss_code").reset_index()
    table.insert(2, "distance", nearest.round(2).to_numpy())
    return table
