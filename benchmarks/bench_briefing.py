"""Benchmark (not a test) of the briefing PDFs and the register import on a
1,000-risk register: worksheets of the whole register, the risk picture, and
the preview and apply of the register's own export with ten edited rows.

    uv run python benchmarks/bench_briefing.py [--risks 1000] [--runs 1]
        [--processes N]

``--processes 1`` lays the worksheets out in one process (as a small register
is); the default is one process per core for registers of
``briefing.PARALLEL_MIN_RISKS`` risks or more.

Builds a fresh SQLite database in a temporary folder (or a test database next
to DATABASE_URL), fills one deployment with ``risks.perf.fill_registers`` and
prints the wall time of each step and the number of pages of each PDF.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "missionsafety.test_settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--risks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--processes", type=int, default=None)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["MISSIONSAFETY_DATA_DIR"] = tempfile.mkdtemp(prefix="ms-briefing-")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    try:
        run(args)
    finally:
        if connection.vendor == "postgresql":
            connection.creation.destroy_test_db(
                connection.settings_dict["NAME"], verbosity=0
            )


def run(args: argparse.Namespace) -> None:
    from django.test import Client
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from missionsafety.reports import briefing
    from missionsafety.risks import perf, services
    from missionsafety.testing import build_world

    briefing.PROCESSES = args.processes

    w = build_world()
    perf.fill_registers(
        [w.dep], sizes=[args.risks], controls_per_risk=3, users=[w.bde13_safety]
    )
    client = Client()
    client.force_login(w.bde13_safety)
    dep = w.dep.pk
    for label, url in (
        ("register worksheets PDF", f"/deployments/{dep}/worksheets.pdf"),
        ("risk picture PDF", f"/deployments/{dep}/risk-picture.pdf"),
    ):
        for _run in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            took = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            pages = len(PdfReader(io.BytesIO(response.content)).pages)
            print(
                f"{label}: {took:.1f} s, {pages} pages, "
                f"{took / pages:.3f} s a page, {len(response.content) // 1024} KB, "
                f"load {os.getloadavg()[0]:.1f}"
            )
    started = time.perf_counter()
    export = client.get(f"/deployments/{dep}/register.xlsx").content
    print(f"XLSX export: {time.perf_counter() - started:.1f} s")
    wb = load_workbook(io.BytesIO(export))
    for row in range(2, 12):
        wb.worksheets[0].cell(row=row, column=2).value = f"Bewerkt {row}"
    buffer = io.BytesIO()
    wb.save(buffer)
    started = time.perf_counter()
    pending = services.register_import_preview(
        actor=w.bde13_safety, deployment=w.dep, data=buffer.getvalue()
    )
    print(
        f"import preview: {time.perf_counter() - started:.1f} s "
        f"({pending.count('update')} updates, {pending.unchanged} unchanged)"
    )
    if pending.errors:
        # Generated registers are written without the services' checks.
        reasons = {e["message"] for row in pending.errors for e in row["errors"]}
        print(f"{len(pending.errors)} rows refused, e.g. {sorted(reasons)[:3]}")
        return
    started = time.perf_counter()
    services.register_import_apply(actor=w.bde13_safety, pending=pending)
    print(f"import apply: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
