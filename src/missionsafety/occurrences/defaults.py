"""The category scale that ships (DESIGN.md §3); administrators may edit it."""

from __future__ import annotations

from typing import Any

# number, name nl, name en, definition nl, definition en
DEFAULT_CATEGORIES: list[tuple[int, str, str, str, str]] = [
    (
        0,
        "Onveilige situatie",
        "Unsafe situation",
        "Onveilige situatie zonder letsel of schade.",
        "Unsafe situation without injury or damage.",
    ),
    (
        1,
        "Licht",
        "Minor",
        "Licht letsel zonder verzuim, of schade tot € 50.000.",
        "Light injury without sick leave, or damage up to €50,000.",
    ),
    (
        2,
        "Matig",
        "Moderate",
        "Letsel met verzuim of ambulante behandeling, of schade van € 50.000 tot "
        "€ 100.000.",
        "Injury with sick leave or outpatient treatment, or damage from €50,000 "
        "to €100,000.",
    ),
    (
        3,
        "Ernstig",
        "Serious",
        "Ziekenhuisopname tot 24 uur of mogelijk blijvend letsel, of schade van "
        "€ 100.000 tot € 250.000.",
        "Hospital stay up to 24 hours or possible permanent injury, or damage "
        "from €100,000 to €250,000.",
    ),
    (
        4,
        "Zeer ernstig",
        "Very serious",
        "Ziekenhuisopname langer dan 24 uur, overlijden, of schade boven € 250.000.",
        "Hospital stay over 24 hours, death, or damage over €250,000.",
    ),
]


def install_categories(category_model: type[Any]) -> None:
    """Create the default scale where a step is missing (never overwrite edits)."""
    for number, name_nl, name_en, def_nl, def_en in DEFAULT_CATEGORIES:
        category_model.objects.get_or_create(
            number=number,
            defaults={
                "name_nl": name_nl,
                "name_en": name_en,
                "definition_nl": def_nl,
                "definition_en": def_en,
            },
        )
