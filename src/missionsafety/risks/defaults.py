"""What ships: the default matrices, acceptance rules and hazard categories.

Used by a data migration (so every installation has them) and by tests.
"""

from __future__ import annotations

from typing import Any


def _n(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


LEVELS_4 = [
    {"code": "L", "name": _n("laag", "low"), "colour": "#6aa84f"},
    {"code": "M", "name": _n("midden", "medium"), "colour": "#f1c232"},
    {"code": "H", "name": _n("hoog", "high"), "colour": "#e69138"},
    {"code": "EH", "name": _n("extreem hoog", "extremely high"), "colour": "#cc0000"},
]

ATP_PROBABILITIES = [
    {
        "code": "A",
        "name": _n("frequent", "frequent"),
        "description": _n(
            "Komt zeer vaak voor, gebeurt bekend regelmatig.",
            "Occurs very often, known to happen regularly.",
        ),
    },
    {
        "code": "B",
        "name": _n("waarschijnlijk", "likely"),
        "description": _n("Komt meerdere keren voor.", "Occurs several times."),
    },
    {
        "code": "C",
        "name": _n("af en toe", "occasional"),
        "description": _n("Sporadisch, niet ongewoon.", "Sporadic, not uncommon."),
    },
    {
        "code": "D",
        "name": _n("zelden", "seldom"),
        "description": _n("Op afstand mogelijk.", "Remotely possible."),
    },
    {
        "code": "E",
        "name": _n("onwaarschijnlijk", "unlikely"),
        "description": _n(
            "Mag worden aangenomen dat het niet gebeurt, maar niet onmogelijk.",
            "Can be assumed not to occur, but not impossible.",
        ),
    },
]

ATP_SEVERITIES = [
    {
        "code": "I",
        "name": _n("catastrofaal", "catastrophic"),
        "description": _n(
            "Dood of blijvende volledige invaliditeit; verlies van een "
            "missiekritisch systeem.",
            "Death or permanent total disability, loss of a mission-critical system.",
        ),
    },
    {
        "code": "II",
        "name": _n("kritiek", "critical"),
        "description": _n(
            "Blijvende gedeeltelijke invaliditeit of meer dan 3 maanden "
            "arbeidsongeschikt; ernstig verminderde gereedheid.",
            "Permanent partial disability or more than 3 months' disability, "
            "severely degraded readiness.",
        ),
    },
    {
        "code": "III",
        "name": _n("matig", "moderate"),
        "description": _n(
            "Verzuim tot 3 maanden, verminderde gereedheid, kleine schade.",
            "Lost days up to 3 months, degraded readiness, minor damage.",
        ),
    },
    {
        "code": "IV",
        "name": _n("verwaarloosbaar", "negligible"),
        "description": _n("Eerste hulp, weinig impact.", "First aid, little impact."),
    },
]

ATP_CELLS = {
    "I": {"A": "EH", "B": "EH", "C": "H", "D": "H", "E": "M"},
    "II": {"A": "EH", "B": "H", "C": "H", "D": "M", "E": "L"},
    "III": {"A": "H", "B": "M", "C": "M", "D": "L", "E": "L"},
    "IV": {"A": "M", "B": "L", "C": "L", "D": "L", "E": "L"},
}

# Our adaptation of acceptance authority (DESIGN.md section 3); echelons as in
# Organisation.Echelon: company 30, battalion 40, brigade 50, army 70, joint 80,
# defence 90.
DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "level": "L",
        "chain": "army",
        "min_echelon": 30,
        "authority": _n("compagniescommandant", "company commander"),
        "consult": "none",
        "validity_days": 180,
    },
    {
        "level": "M",
        "chain": "army",
        "min_echelon": 40,
        "authority": _n("bataljonscommandant", "battalion commander"),
        "consult": "control_owners",
        "validity_days": 90,
    },
    {
        "level": "H",
        "chain": "army",
        "min_echelon": 50,
        "authority": _n("brigadecommandant", "brigade commander"),
        "consult": "brigade_army_controls",
        "validity_days": 30,
    },
    {
        "level": "EH",
        "chain": "army",
        "min_echelon": 70,
        "authority": _n(
            "Commandant Landstrijdkrachten (C-LAS)", "commander of the army (C-LAS)"
        ),
        "consult": "all",
        "validity_days": 14,
    },
    {
        "level": "L",
        "chain": "operational",
        "min_echelon": 30,
        "authority": _n(
            "commandant ingezette eenheid", "commander of the deployed unit"
        ),
        "consult": "none",
        "validity_days": 180,
    },
    {
        "level": "M",
        "chain": "operational",
        "min_echelon": 40,
        "authority": _n(
            "contingents- / taskforcecommandant", "contingent / task force commander"
        ),
        "consult": "control_owners",
        "validity_days": 90,
    },
    {
        "level": "H",
        "chain": "operational",
        "min_echelon": 80,
        "authority": _n("Commandant NLD JFC", "commander NLD JFC"),
        "consult": "brigade_army_controls",
        "validity_days": 30,
    },
    {
        "level": "EH",
        "chain": "operational",
        "min_echelon": 90,
        "authority": _n(
            "Commandant der Strijdkrachten (CDS), geadviseerd door C-NLD JFC",
            "Chief of Defence (CDS), advised by commander NLD JFC",
        ),
        "consult": "all",
        "validity_days": 14,
    },
]

RIE_LEVELS = [
    {"code": "L", "name": _n("laag", "low"), "colour": "#6aa84f"},
    {"code": "M", "name": _n("midden", "medium"), "colour": "#f1c232"},
    {"code": "H", "name": _n("hoog", "high"), "colour": "#e69138"},
    {"code": "EH", "name": _n("zeer hoog", "very high"), "colour": "#cc0000"},
]
RIE_PROBABILITIES = [
    {"code": "5", "name": _n("bijna zeker", "almost certain"), "description": {}},
    {"code": "4", "name": _n("waarschijnlijk", "likely"), "description": {}},
    {"code": "3", "name": _n("mogelijk", "possible"), "description": {}},
    {"code": "2", "name": _n("onwaarschijnlijk", "unlikely"), "description": {}},
    {"code": "1", "name": _n("zeer onwaarschijnlijk", "rare"), "description": {}},
]
RIE_SEVERITIES = [
    {"code": "5", "name": _n("catastrofaal", "catastrophic"), "description": {}},
    {"code": "4", "name": _n("ernstig", "major"), "description": {}},
    {"code": "3", "name": _n("matig", "moderate"), "description": {}},
    {"code": "2", "name": _n("gering", "minor"), "description": {}},
    {"code": "1", "name": _n("verwaarloosbaar", "insignificant"), "description": {}},
]


def _rie_level(p: int, s: int) -> str:
    score = p * s
    if score >= 20:
        return "EH"
    if score >= 10:
        return "H"
    if score >= 5:
        return "M"
    return "L"


RIE_CELLS = {
    str(s): {str(p): _rie_level(p, s) for p in range(1, 6)} for s in range(1, 6)
}

MATRICES: list[dict[str, Any]] = [
    {
        "code": "atp-5-19-4x5",
        "revision": 1,
        "name": "ATP 5-19 (4 × 5)",
        "description": "Defence default: probability A–E × severity I–IV.",
        "probabilities": ATP_PROBABILITIES,
        "severities": ATP_SEVERITIES,
        "levels": LEVELS_4,
        "cells": ATP_CELLS,
        "is_default": True,
    },
    {
        "code": "rie-5x5",
        "revision": 1,
        "name": "RI&E (5 × 5)",
        "description": "Alternative in the style of the Dutch RI&E: score = kans × effect.",
        "probabilities": RIE_PROBABILITIES,
        "severities": RIE_SEVERITIES,
        "levels": RIE_LEVELS,
        "cells": RIE_CELLS,
        "is_default": False,
    },
]

HAZARD_CATEGORIES = [
    ("vehicle", "Voertuigen en verplaatsingen", "Vehicles and movement"),
    (
        "weapons-ammo",
        "Wapens, munitie en explosieven",
        "Weapons, ammunition and explosives",
    ),
    (
        "hostile",
        "Vijandelijke dreiging (IED, indirect vuur)",
        "Hostile threat (IED, indirect fire)",
    ),
    ("climate", "Klimaat (hitte en koude)", "Climate (heat and cold)"),
    ("medical", "Medisch en infectieziekten", "Medical and infectious disease"),
    ("medevac", "Medische evacuatie en zorgketen", "Medical evacuation and care chain"),
    ("human", "Mens (vermoeidheid, stress)", "Human factors (fatigue, stress)"),
    (
        "work",
        "Werkplek (hoogte, elektriciteit, hijsen)",
        "Workplace (height, electrical, lifting)",
    ),
    ("water", "Water en verdrinking", "Water and drowning"),
    ("traffic", "Wegverkeer", "Road traffic"),
    ("aviation", "Luchttransport", "Air transport"),
    ("environment", "Omgeving en infrastructuur", "Environment and infrastructure"),
    ("fire", "Brand en gevaarlijke stoffen", "Fire and hazardous substances"),
]


def install(apps: Any) -> None:
    """Create the shipped matrices, rules and categories if they are missing."""
    RiskMatrix = apps.get_model("risks", "RiskMatrix")
    AcceptanceRule = apps.get_model("risks", "AcceptanceRule")
    HazardCategory = apps.get_model("risks", "HazardCategory")
    for spec in MATRICES:
        matrix, created = RiskMatrix.objects.get_or_create(
            code=spec["code"],
            revision=spec["revision"],
            defaults={k: v for k, v in spec.items() if k not in {"code", "revision"}},
        )
        if created:
            for rule in DEFAULT_RULES:
                AcceptanceRule.objects.create(matrix=matrix, **rule)
    for code, nl, en in HAZARD_CATEGORIES:
        HazardCategory.objects.get_or_create(
            code=code, defaults={"name_nl": nl, "name_en": en}
        )
