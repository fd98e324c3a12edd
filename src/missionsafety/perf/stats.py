"""Percentiles and summaries of measured latencies."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0–100) with linear interpolation between ranks.

    The same definition as numpy's default: the value at rank
    ``(n - 1) * p / 100`` of the sorted values, interpolated. ``None`` when
    there are no values.
    """
    if not values:
        return None
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: Sequence[float]) -> dict[str, float | None]:
    """min, p50, p95, p99 and mean, rounded to 0.1 ms.

    The minimum is the cost of a request with the machine to itself; on a
    shared machine it separates what the code costs from waiting for a CPU.
    """

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 1)

    return {
        "min": r(min(values)) if values else None,
        "p50": r(percentile(values, 50)),
        "p95": r(percentile(values, 95)),
        "p99": r(percentile(values, 99)),
        "mean": r(sum(values) / len(values)) if values else None,
    }
