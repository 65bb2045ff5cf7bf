"""The distribution of every headline number over a sweep's games, per variant and turn:
median and the 5-95 % band (the range the middle 90 % of games fall in)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from wargame.analysis.sweep import SweepResults

QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class SummaryRow:
    variant: int
    indicator: str
    subject: str
    turn: int
    games: int  # games in which the metric had a value that turn
    median: float
    p05: float
    p95: float
    mean: float


def band(values: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(count, p05, median, p95, mean) along ``axis``, ignoring NaN (all-NaN gives NaN)."""
    count = np.sum(~np.isnan(values), axis=axis)
    with warnings.catch_warnings():  # all-NaN slices are expected (a metric absent that turn)
        warnings.simplefilter("ignore", RuntimeWarning)
        p05, median, p95 = np.nanquantile(values, QUANTILES, axis=axis) if values.size else \
            (np.full(count.shape, np.nan),) * 3
        mean = np.nanmean(values, axis=axis) if values.size else np.full(count.shape, np.nan)
    return count, p05, median, p95, mean


def summarise(results: SweepResults) -> tuple[SummaryRow, ...]:
    """One row per variant, metric and turn, over the finished games."""
    rows: list[SummaryRow] = []
    catalog = results.plan.catalog
    for variant in results.plan.variants:
        picked = results.values[results.variant_rows(variant.index)]  # (G, T, K)
        if not len(picked):
            continue
        count, p05, median, p95, mean = band(picked, axis=0)  # (T, K)
        for k, key in enumerate(catalog):
            for t in range(picked.shape[1]):
                if count[t, k]:
                    rows.append(SummaryRow(variant.index, key.indicator, key.subject, t + 1,
                                           int(count[t, k]), float(median[t, k]),
                                           float(p05[t, k]), float(p95[t, k]),
                                           float(mean[t, k])))
    return tuple(rows)
