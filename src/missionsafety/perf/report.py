"""The benchmark's results as a table, a comparison and Markdown."""

from __future__ import annotations

from typing import Any

HEADER = (
    f"{'database':<9} {'scenario':<38} {'c':>3} {'req':>6} {'err':>4} "
    f"{'p50':>7} {'p95':>7} {'p99':>7} {'srvmin':>7} {'srv50':>7} {'srv95':>7} "
    f"{'srv99':>7} "
    f"{'q':>4} {'req/s':>7} {'KB':>5}"
)


def _ms(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}"


def format_row(r: dict[str, Any]) -> str:
    if r.get("status") != "ok":
        return f"{r['database']:<9} {r['scenario']:<38} {r['status']}"
    c, s = r["client_ms"], r["server_ms"]
    flag = ""
    if r.get("budget_ms") and s["p95"] is not None and s["p95"] > r["budget_ms"]:
        flag = "  over budget"
    if r.get("servers", 1) > 1:
        flag += f"  on {r['servers']} servers"
    size = "-" if r.get("bytes") is None else f"{r['bytes'] / 1024:.1f}"
    return (
        f"{r['database']:<9} {r['scenario']:<38} {r['concurrency']:>3} "
        f"{r['requests']:>6} {r['errors']:>4} {_ms(c['p50']):>7} {_ms(c['p95']):>7} "
        f"{_ms(c['p99']):>7} {_ms(s.get('min')):>7} {_ms(s['p50']):>7} {_ms(s['p95']):>7} {_ms(s['p99']):>7} "
        f"{_ms(r['queries']):>4} {_ms(r['throughput']):>7} {size:>5}{flag}"
    )


def table(result: dict[str, Any]) -> str:
    lines = [
        "client latency p50/p95/p99 and server time (Server-Timing) srvmin/50/95/99 "
        "in ms; "
        "q = queries per request (median); KB = response body as sent",
        HEADER,
    ]
    lines += [format_row(r) for r in result["results"]]
    return "\n".join(lines)


def compare(a: dict[str, Any], b: dict[str, Any]) -> str:
    """How p95 (client and server) and throughput change from run ``a`` to ``b``."""

    def index(result: dict[str, Any]) -> dict[tuple[str, str, int], dict[str, Any]]:
        return {
            (r["database"], r["scenario"], r["concurrency"]): r
            for r in result["results"]
            if r.get("status") == "ok" and r.get("servers", 1) == 1
        }

    ia, ib = index(a), index(b)
    sa, sb = a["meta"]["scale"], b["meta"]["scale"]
    lines = [
        f"from scale {sa} to scale {sb}: p95 in ms (client / server), throughput req/s",
        f"{'database':<9} {'scenario':<38} {'c':>3} {'client p95':>19} "
        f"{'server p95':>19} {'req/s':>17}",
    ]

    def change(x: Any, y: Any) -> str:
        if x is None or y is None:
            return "-"
        ratio = f"×{y / x:.1f}" if x else ""
        return f"{x:.1f}→{y:.1f} {ratio}"

    for key in sorted(set(ia) & set(ib)):
        ra, rb = ia[key], ib[key]
        lines.append(
            f"{key[0]:<9} {key[1]:<38} {key[2]:>3} "
            f"{change(ra['client_ms']['p95'], rb['client_ms']['p95']):>19} "
            f"{change(ra['server_ms']['p95'], rb['server_ms']['p95']):>19} "
            f"{change(ra['throughput'], rb['throughput']):>17}"
        )
    return "\n".join(lines)


def markdown(result: dict[str, Any]) -> str:
    """The results as a Markdown table (for docs/performance.md)."""
    lines = [
        "| database | scenario | c | requests | errors | p50 | p95 | p99 | "
        "server min | server p50 | server p95 | queries | req/s |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in result["results"]:
        if r.get("status") != "ok":
            continue
        c, s = r["client_ms"], r["server_ms"]
        servers = f" ({r['servers']} servers)" if r.get("servers", 1) > 1 else ""
        lines.append(
            f"| {r['database']} | {r['scenario']}{servers} | {r['concurrency']} | "
            f"{r['requests']} | {r['errors']} | {_ms(c['p50'])} | {_ms(c['p95'])} | "
            f"{_ms(c['p99'])} | {_ms(s.get('min'))} | {_ms(s['p50'])} | "
            f"{_ms(s['p95'])} | {_ms(r['queries'])} | {_ms(r['throughput'])} |"
        )
    return "\n".join(lines)
