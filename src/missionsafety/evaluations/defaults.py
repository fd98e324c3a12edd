"""What ships: the mission-safety process steps, the default RACI per party role,
and the standard evaluation moments with their methods (DESIGN.md section 3), read
from the JSON files in ``data/``.

Used by a data migration (so every installation has them) and by tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> Any:
    with (DATA / name).open(encoding="utf-8") as handle:
        return json.load(handle)


# code, nl, en, ISO 31000 stage, risk-management step, phases
PROCESS_STEPS: list[tuple[str, str, str, str, int, list[str]]] = [
    (s["code"], s["name_nl"], s["name_en"], s["iso_stage"], s["rm_step"], s["phases"])
    for s in _load("process_steps.json")
]

_matrix = _load("default_matrix.json")
# step code → party role → (RACI, Dutch task text, English task text)
DEFAULT_MATRIX: dict[str, dict[str, tuple[str, str, str]]] = {
    step: {role: (c["raci"], c["nl"], c["en"]) for role, c in cells.items()}
    for step, cells in _matrix["default_matrix"].items()
}
# Who takes the A (or the R) when the default role is not a party.
ACCOUNTABLE_FALLBACK: list[str] = _matrix["accountable_fallback"]
RESPONSIBLE_FALLBACK: list[str] = _matrix["responsible_fallback"]

# The standard evaluation moments: names, methods, phase, trigger, timing and form.
TEMPLATES: list[dict[str, Any]] = _load("evaluation_templates.json")


def install(apps: Any) -> None:
    """Create the shipped process steps and evaluation templates if missing."""
    ProcessStep = apps.get_model("evaluations", "ProcessStep")
    EvaluationTemplate = apps.get_model("evaluations", "EvaluationTemplate")
    for order, (code, nl, en, iso, step, phases) in enumerate(PROCESS_STEPS, 1):
        ProcessStep.objects.get_or_create(
            code=code,
            defaults={
                "order": order * 10,
                "name_nl": nl,
                "name_en": en,
                "iso_stage": iso,
                "rm_step": step,
                "phases": phases,
            },
        )
    for order, spec in enumerate(TEMPLATES, 1):
        EvaluationTemplate.objects.get_or_create(
            code=spec["code"],
            defaults={
                "order": order * 10,
                **{k: v for k, v in spec.items() if k != "code"},
            },
        )


def shipped_texts() -> list[tuple[str, str]]:
    """(Dutch, English) of every text the defaults write into rows: agreement
    task texts and evaluation moment names (see ``core.i18n.shipped_text``)."""
    pairs = [
        (nl, en)
        for cells in DEFAULT_MATRIX.values()
        for _raci, nl, en in cells.values()
    ]
    pairs += [(t["name_nl"], t["name_en"]) for t in TEMPLATES]
    return pairs
