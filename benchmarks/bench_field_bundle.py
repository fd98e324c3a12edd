"""Field bundle benchmark: the size of a bundle of 1,000 field changes and its
transfer time over a 256 kbit/s link with 600 ms round trips (not a test).

    MISSIONSAFETY_DATA_DIR=/tmp/ms-field-bench uv run python benchmarks/bench_field_bundle.py

Builds the shared test world in a fresh SQLite file, makes a field package,
records 1,000 changes (800 occurrence reports, 150 observations, 50 risk
edits), then makes the bundle and prints its size, the time to make it, and
the transfer time: bytes × 8 / 256,000 plus one round trip per HTTPS batch
of 200 changes.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "missionsafety.test_settings")
os.environ.setdefault(
    "MISSIONSAFETY_DATA_DIR", tempfile.mkdtemp(prefix="ms-field-bench-")
)
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

WORDS = [
    "voertuig",
    "schoof",
    "weg",
    "op",
    "ijzel",
    "bij",
    "de",
    "poort",
    "patrouille",
    "zag",
    "losliggende",
    "munitie",
    "naast",
    "de",
    "weg",
    "generator",
    "lekte",
    "brandstof",
    "in",
    "de",
    "opslag",
    "looppad",
    "glad",
    "in",
    "de",
    "ochtend",
    "schutter",
    "struikelde",
    "tijdens",
    "nachtoefening",
    "radio",
    "viel",
    "uit",
    "bij",
    "controlepost",
    "koeling",
    "van",
    "de",
    "container",
    "faalde",
]
LINK_BITS = 256_000
RTT = 0.6
BATCH = 200


def main() -> None:
    call_command("migrate", verbosity=0)
    from missionsafety.field.models import Instance
    from missionsafety.field.package import package_export
    from missionsafety.field.services import bundle_make
    from missionsafety.lessons.services import observation_submit
    from missionsafety.occurrences.services import occurrence_report
    from missionsafety.risks import services
    from missionsafety.testing import build_world

    rng = random.Random(14)
    w = build_world()
    risks = [
        services.risk_create(
            actor=w.bde13_safety,
            deployment=w.dep,
            title=f"Risico {n}",
            hazard="Gevaar",
            owner_party=w.party_bn,
        )
        for n in range(50)
    ]
    package = package_export(actor=w.bde13_safety, deployment=w.dep)
    now = timezone.now()
    with transaction.atomic():
        for n in range(800):
            occurrence_report(
                actor=w.coy_leader,
                deployment=w.dep,
                occurred_at=now - datetime.timedelta(minutes=n + 1),
                place="Rukla",
                unit=w.bn,
                kind="near_miss",
                title=f"Bijna-ongeval {n}",
                actual_category=0,
                potential_category=1,
                description=" ".join(rng.choice(WORDS) for _ in range(30)),
            )
        for n in range(150):
            observation_submit(
                actor=w.coy_leader,
                deployment=w.dep,
                title=f"Waarneming {n}",
                observation=" ".join(rng.choice(WORDS) for _ in range(40)),
            )
        for risk in risks:
            services.risk_update(
                actor=w.bde13_safety,
                risk=risk,
                version=risk.version,
                cause="Ijzel in de ochtend",
            )
    peer = Instance.objects.get(role="field")
    started = time.perf_counter()
    data, count = bundle_make(peer=peer)
    made = time.perf_counter() - started
    size = len(data)
    transfer = size * 8 / LINK_BITS
    batches = -(-count // BATCH)
    print(f"package: {len(package):,} bytes")
    print(f"bundle: {count} changes, {size:,} bytes ({size / count:.0f} bytes/change)")
    print(f"made in {made:.2f} s")
    print(
        f"transfer at 256 kbit/s: {transfer:.1f} s as one file; "
        f"{transfer + batches * RTT:.1f} s over HTTPS in {batches} batches of "
        f"{BATCH} (600 ms round trip each)"
    )


if __name__ == "__main__":
    main()
