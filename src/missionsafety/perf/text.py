"""Report-like text for generated rows, in Dutch (mostly) and English.

Each hazard of a category carries a few causes, consequences and controls; a
generated risk combines one of each with an activity, a place and equipment,
so that registers read like real ones and search has varied words to find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from missionsafety.perf.text_hazards_field import FIELD_HAZARDS
from missionsafety.perf.text_hazards_support import SUPPORT_HAZARDS

NL, EN = 0, 1

# (nl, en) pairs.
ACTIVITIES = [
    ("patrouille te voet", "foot patrol"),
    ("konvooi naar de voorwaartse basis", "convoy to the forward base"),
    ("scherpschietoefening", "live-fire exercise"),
    ("nachtelijke verplaatsing", "night movement"),
    ("onderhoud in de werkplaats", "maintenance in the workshop"),
    ("munitie-overslag", "ammunition handling"),
    ("helikopterverplaatsing", "helicopter lift"),
    ("bewaking van het kamp", "camp guard duty"),
    ("rivieroversteek", "river crossing"),
    ("training met de partnernatie", "training with the partner nation"),
    ("bevoorrading", "resupply"),
    ("medische afvoer (MEDEVAC)", "medical evacuation (MEDEVAC)"),
]
PLACES = [
    ("Rukla", "Rukla"),
    ("Pabrade", "Pabrade"),
    ("kamp Castor", "Camp Castor"),
    ("Erbil", "Erbil"),
    ("Bagdad", "Baghdad"),
    ("Al Asad", "Al Asad"),
    ("Novo Selo", "Novo Selo"),
    ("het oefenterrein", "the training area"),
    ("route Amber", "route Amber"),
    ("de haven van Klaipeda", "the port of Klaipeda"),
]
EQUIPMENT = [
    ("Boxer", "Boxer"),
    ("CV90", "CV90"),
    ("Fennek", "Fennek"),
    ("Bushmaster", "Bushmaster"),
    ("DAF YA 4442", "DAF YA 4442"),
    ("Scania Gryphus", "Scania Gryphus"),
    ("Chinook", "Chinook"),
    ("aggregaat", "generator set"),
    ("heftruck", "forklift"),
]


@dataclass(frozen=True)
class HazardText:
    category: str
    title: tuple[str, str]
    hazard: tuple[str, str]
    causes: tuple[tuple[str, str], ...]
    consequences: tuple[tuple[str, str], ...]
    # (kind, nl, en); kind follows the hierarchy of controls.
    controls: tuple[tuple[str, str, str], ...]


HAZARDS: list[HazardText] = [
    HazardText(*entry) for entry in (*FIELD_HAZARDS, *SUPPORT_HAZARDS)
]

DISEASES = [
    ("dysenterie", "dysentery"),
    ("malaria", "malaria"),
    ("norovirus", "norovirus"),
]

STATUS_NOTES = [
    (
        "Uitgevoerd en gecontroleerd door de compagnie.",
        "Implemented and checked by the company.",
    ),
    ("Vertraagd door levertijd van materieel.", "Delayed by equipment delivery time."),
    (
        "Bij de laatste inspectie niet effectief gebleken.",
        "Found ineffective at the last inspection.",
    ),
    ("", ""),
]

RATIONALES = [
    (
        "Restrisico aanvaardbaar met de genomen maatregelen; periodiek herbeoordelen.",
        "Residual risk acceptable with the controls in place; review periodically.",
    ),
    (
        "Operationeel belang weegt op tegen het restrisico; voorwaarden nageleefd.",
        "Operational need outweighs the residual risk; conditions to be met.",
    ),
    (
        "Maatregelen onvoldoende uitgewerkt; opnieuw beoordelen na overleg met de brigade.",
        "Controls not worked out enough; reassess after consulting the brigade.",
    ),
]


def risk_text(rng: random.Random, hazard: HazardText, lang: int) -> dict[str, str]:
    """Title, hazard, cause and consequence for one risk in one language."""
    fill = {
        "activity": rng.choice(ACTIVITIES)[lang],
        "place": rng.choice(PLACES)[lang],
        "equipment": rng.choice(EQUIPMENT)[lang],
        "disease": rng.choice(DISEASES)[lang],
    }
    joiner = " tijdens " if lang == NL else " during "
    title = hazard.title[lang]
    if rng.random() < 0.6:
        title = f"{title}{joiner}{fill['activity']}"
    causes = rng.sample(hazard.causes, k=min(len(hazard.causes), rng.randint(1, 2)))
    return {
        "title": title[:200],
        "hazard": hazard.hazard[lang].format(**fill),
        "cause": "; ".join(c[lang] for c in causes).capitalize() + ".",
        "consequence": rng.choice(hazard.consequences)[lang].capitalize() + ".",
        "activity": fill["activity"][:200],
    }
