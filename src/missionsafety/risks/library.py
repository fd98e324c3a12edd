"""The starter hazard library that ships (installed by a data migration), read
from ``data/hazard_library.json``: one entry per hazard with its category code,
Dutch and English texts and typical controls."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LIBRARY_FILE = Path(__file__).resolve().parent / "data" / "hazard_library.json"

with LIBRARY_FILE.open(encoding="utf-8") as _handle:
    HAZARDS: list[dict[str, Any]] = json.load(_handle)


def install_library(apps: Any) -> None:
    """Create the starter hazards that are missing (idempotent)."""
    Hazard = apps.get_model("risks", "Hazard")
    HazardCategory = apps.get_model("risks", "HazardCategory")
    categories = {c.code: c for c in HazardCategory.objects.all()}
    for spec in HAZARDS:
        data = dict(spec)
        category = categories.get(data.pop("category"))
        if category is None:
            continue
        Hazard.objects.get_or_create(
            code=data.pop("code"), defaults={**data, "category": category}
        )


def shipped_texts() -> list[tuple[str, str]]:
    """(Dutch, English) of every library text a risk or control copies (see
    ``core.i18n.shipped_text``)."""
    pairs: list[tuple[str, str]] = []
    for spec in HAZARDS:
        pairs.append((spec["name_nl"], spec["name_en"]))
        pairs.append((spec["description_nl"], spec["description_en"]))
        for key in ("typical_cause", "typical_consequence"):
            pairs.append((spec[key]["nl"], spec[key]["en"]))
        pairs += [(c["nl"], c["en"]) for c in spec["typical_controls"]]
    return pairs
