"""The benchmark's percentile maths and Server-Timing parsing."""

from __future__ import annotations

import pytest

from missionsafety.perf.middleware import parse_server_timing
from missionsafety.perf.stats import percentile, summary


def test_percentiles_interpolate_between_ranks() -> None:
    values = [15, 20, 35, 40, 50]
    assert percentile(values, 0) == 15
    assert percentile(values, 50) == 35
    assert percentile(values, 100) == 50
    assert percentile(values, 40) == pytest.approx(29.0)  # rank 1.6: 20 + 0.6 × 15
    assert percentile(values, 95) == pytest.approx(48.0)  # rank 3.8: 40 + 0.8 × 10


def test_percentiles_of_one_hundred_values() -> None:
    values = list(range(1, 101))  # shuffled order must not matter
    values.reverse()
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 99) == pytest.approx(99.01)


def test_edge_cases() -> None:
    assert percentile([], 95) is None
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([1, 2], 101)
    assert summary([]) == {
        "min": None,
        "p50": None,
        "p95": None,
        "p99": None,
        "mean": None,
    }
    assert summary([4, 1, 3, 2]) == {
        "min": 1,
        "p50": 2.5,
        "p95": 3.9,
        "p99": 4.0,
        "mean": 2.5,
    }


def test_server_timing_header_is_read_back() -> None:
    parsed = parse_server_timing('app;dur=12.50, db;dur=3.25;desc="7"')
    assert parsed == {"app": 12.5, "db": 3.25, "queries": 7.0}
    assert parse_server_timing("") == {}
