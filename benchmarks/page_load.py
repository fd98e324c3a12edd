"""Load the main pages in Chromium over an emulated satellite link and time them.

    uv run python benchmarks/page_load.py [--pages N] [--kbit 256] [--rtt 600]

Prepares a fresh demo database in a temporary directory, serves it with
gunicorn (2 workers, 127.0.0.1), logs in as bde13.safety in Debian's Chromium
(Playwright, /usr/bin/chromium) with the network throttled through the
DevTools protocol (Network.emulateNetworkConditions: 256 kbit/s down and up,
600 ms round trip), and prints, per page, time to first paint, first
contentful paint and load complete, with a cold cache (every asset fetched)
and a warm one (as a user clicking through). Not a test: a measurement.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
USER = "bde13.safety"

TIMING_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = Object.fromEntries(
    performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
  const resources = performance.getEntriesByType('resource');
  return {
    fp: paint['first-paint'] ?? null,
    fcp: paint['first-contentful-paint'] ?? null,
    load: nav.loadEventEnd,
    html: nav.transferSize,
    assets: resources.reduce((s, r) => s + r.transferSize, 0),
  };
}"""


def pages(base: str) -> list[tuple[str, str]]:
    """The main pages of the demo that exist now (by URL name)."""
    from django.urls import NoReverseMatch, reverse

    from missionsafety.deployments.models import Deployment
    from missionsafety.organisations.models import Organisation

    dep = Deployment.objects.get(code="EFP-LTU-R12").pk
    org = Organisation.objects.get(short_name="13 LBR").pk
    wanted = [
        ("my deployments", "home", {}),
        ("deployment page", "deployments:detail", {"pk": dep}),
        ("register", "risks:register", {"deployment_pk": dep}),
        ("heat map", "risks:heatmap", {"deployment_pk": dep}),
        ("dashboard", "reports:dashboard", {}),
        ("occurrences", "occurrences:mine", {}),
        ("lesson search", "lessons:search", {}),
        ("inbox", "feedback:inbox", {}),
        ("organisation tree", "organisations:tree", {}),
        ("organisation page", "organisations:detail", {"pk": org}),
        (
            "deployment history",
            "audit:history",
            {"model": "deployments.deployment", "pk": dep},
        ),
    ]
    found = []
    for label, name, kwargs in wanted:
        try:
            found.append((label, base + reverse(name, kwargs=kwargs)))
        except NoReverseMatch:
            print(f"  {label}: skipped, not available yet")
    return found


def measure(page: Any, cdp: Any, url: str, cold: bool) -> dict[str, Any]:
    if cold:
        cdp.send("Network.clearBrowserCache")
    started = time.perf_counter()
    page.goto(url, wait_until="load", timeout=120_000)
    wall = (time.perf_counter() - started) * 1000
    return {**page.evaluate(TIMING_JS), "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kbit", type=int, default=256)
    parser.add_argument("--rtt", type=int, default=600)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="ms-pageload."))
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "MISSIONSAFETY_DATA_DIR": str(tmp),
        "SECRET_KEY": "page-load-only-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "missionsafety.settings",
    }
    ms = [sys.executable, "-m", "missionsafety"]
    print("Preparing a demo database…")
    subprocess.run(
        [*ms, "demo", "--no-serve"], env=env, check=True, capture_output=True
    )
    os.environ.update(env)
    import django

    django.setup()
    from missionsafety.perf.bench import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "missionsafety.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        targets = pages(base)
        rate = args.kbit * 1000 / 8  # bytes per second
        conditions = {
            "offline": False,
            "latency": args.rtt,
            "downloadThroughput": rate,
            "uploadThroughput": rate,
        }
        rows = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            context = browser.new_context()
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", conditions)
            rows.append(
                (
                    "login (first visit)",
                    measure(page, cdp, f"{base}/login/", True),
                    None,
                )
            )
            page.fill("input[name=username]", USER)
            page.fill("input[name=password]", "missie-veilig")
            page.click("form button[type=submit], form input[type=submit]")
            page.wait_for_load_state("load")
            for label, url in targets:
                cold = measure(page, cdp, url, True)
                warm = measure(page, cdp, url, False)
                rows.append((label, cold, warm))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\nChromium over {args.kbit} kbit/s down and up, {args.rtt} ms round trip "
        f"(user {USER}); times in seconds from navigation start."
    )
    print(
        f"{'page':<22} {'cold: FP':>9} {'FCP':>6} {'load':>6} {'KB':>6}   "
        f"{'warm: FP':>9} {'FCP':>6} {'load':>6} {'KB':>6}"
    )

    def cells(m: dict[str, Any] | None) -> str:
        if m is None:
            return f"{'':>9} {'':>6} {'':>6} {'':>6}"
        kb = (m["html"] + m["assets"]) / 1024

        def s(x: Any) -> str:
            return "-" if x is None else f"{x / 1000:.2f}"

        return f"{s(m['fp']):>9} {s(m['fcp']):>6} {s(m['load']):>6} {kb:>6.1f}"

    for label, cold, warm in rows:
        print(f"{label:<22} {cells(cold)}   {cells(warm)}")


if __name__ == "__main__":
    main()
