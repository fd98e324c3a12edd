"""Observations and lessons at reference scale, generated in bulk.

``generate`` writes observations, lessons, their categories and releases and
their search entries with ``bulk_create`` and fills the full-text index in one
pass (SQLite: one INSERT … SELECT into the FTS5 table; PostgreSQL: the GIN
index built once after the rows). Rows are imported, not audited. The same
seed gives the same rows::

    from missionsafety.lessons.perf import generate

    generate(
        n_observations=50_000,
        n_lessons=50_000,
        deployments=[...],  # Deployment ids (their parties must exist)
        orgs=[...],  # Organisation ids to release to / act on (brigades, units)
        users=[...],  # User ids of originators (may be empty)
        seed=1,
    )

The texts are sentences from templates about hazards, places, equipment,
causes and measures, mostly Dutch and some English, with words drawn with
Zipf-like frequencies from a vocabulary of some thousands of words (a few
words are in many texts, most words in few), so searches match a realistic
fraction of the rows.
"""

from __future__ import annotations

import bisect
import datetime
import importlib
import itertools
import random
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

# -- vocabulary ----------------------------------------------------------------
# Each list is ordered from common to rare; words are drawn Zipf-like by rank.
# fmt: off
NL: dict[str, list[str]] = {
    "hazard": [
        "stof", "vermoeidheid", "gladheid", "hitte", "ijzel", "verkeersongeval",
        "kantelen", "aanrijding", "onbedoeld schot", "munitieongeval", "uitdroging",
        "onderkoeling", "bevriezing", "verdrinking", "brand", "koolmonoxide",
        "elektrocutie", "val van hoogte", "hijsongeval", "beknelling", "gehoorschade",
        "hitteberoerte", "zonnesteek", "voedselvergiftiging", "malaria", "dengue",
        "rabiës", "slangenbeet", "schorpioensteek", "zandstorm", "overstroming",
        "blikseminslag", "blindganger", "mijn", "IED", "indirect vuur",
        "vriendelijk vuur", "lekkage van brandstof", "explosiegevaar", "gasvorming",
        "lawaai", "trillingen", "rugletsel", "enkelblessure", "oogletsel", "snijwond",
    ],
    "place": [
        "het kamp", "de wachtpost", "de schietbaan", "de munitieopslag",
        "de brandstofopslag", "het oefenterrein", "de landingsplaats", "de werkplaats",
        "de keuken", "de legering", "de ziekenboeg", "het konvooi", "de hoofdweg",
        "de bevoorradingsroute", "het depot", "de poort", "de parkeerplaats",
        "de haven", "het vliegveld", "de grensovergang", "de rivier", "de brug",
        "het dorp", "de markt", "de waterzuivering", "de stroomvoorziening",
        "de sportzaal", "de douches", "de container", "de bunker",
        "het observatiepunt", "de commandopost", "de verbindingspost", "de tankplaats",
        "de wasplaats", "de hangar", "het magazijn", "de opslagloods",
    ],
    "equipment": [
        "aggregaat", "radio", "container", "geweer", "pistool", "mortier", "ontsteker",
        "handgranaat", "voertuig", "nachtkijker", "helm", "scherfvest", "brancard",
        "hijskraan", "heftruck", "tankwagen", "vrachtwagen", "waterpomp", "koelcel",
        "airco", "verlichting", "zonnepaneel", "accu", "lier", "sleepkabel",
        "rupsvoertuig", "aanhangwagen", "drone", "verbandtrommel", "gasmasker",
        "kachel", "kookstel", "jerrycan", "zandzak", "prikkeldraad",
        "satellietterminal", "laptop", "brandblusser", "helikopter", "pantservoertuig",
        "mijnenveger", "waterbak",
    ],
    "cause": [
        "te weinig rust", "onduidelijke instructies", "tijdsdruk", "slecht onderhoud",
        "ontbrekende checklist", "onervarenheid", "slecht zicht", "te hoge snelheid",
        "vermoeide chauffeurs", "gebrek aan toezicht", "verkeerde opslag",
        "defecte koeling", "geen briefing", "taalbarrière", "onvoldoende training",
        "verouderde procedures", "haast bij vertrek", "slechte verbinding",
        "ontbrekende reserveonderdelen", "onduidelijke bevelsstructuur",
        "wisseling van ploeg", "nachtwerk", "extreme temperaturen",
        "lokale verkeersgewoonten", "gebrekkige verlichting", "geen afscherming",
        "verkeerd gebruik", "overbelasting",
    ],
    "measure": [
        "de procedure aangepast", "een extra briefing gegeven",
        "de rusttijden ingepland", "een checklist ingevoerd", "de opslag verplaatst",
        "koeling geïnstalleerd", "extra toezicht ingesteld", "de route gewijzigd",
        "de snelheid beperkt", "verlichting geplaatst", "het materieel gecontroleerd",
        "een oefening gehouden", "de instructie vertaald",
        "een buddy-systeem ingevoerd", "het werk-rustschema aangepast",
        "schaduw aangebracht", "drinkwater klaargezet", "de ploegen verkleind",
        "een veiligheidsfunctionaris aangewezen", "de bewegwijzering verbeterd",
        "de temperatuur gemeten", "een afzetting geplaatst",
    ],
    "time": [
        "tijdens de nacht", "bij het aanbreken van de dag", "na de lunch",
        "tijdens de overdracht", "bij terugkeer van patrouille", "tijdens het tanken",
        "in de eerste week", "na een lange rit", "tijdens de oefening",
        "bij harde wind", "boven 45 graden", "in de regentijd",
        "tijdens de wisseling van de wacht", "op zondagmiddag", "vlak voor vertrek",
        "tijdens de rotatie",
    ],
    "effect": [
        "raakte een militair gewond", "ontstond schade aan het materieel",
        "moest een medische evacuatie plaatsvinden", "was er bijna een ongeval",
        "viel de stroom uit", "moest de oefening worden gestopt",
        "werden twee militairen onwel", "liep de munitie schade op",
        "raakte de verbinding verloren", "brandde een container uit",
        "werd de route afgesloten", "was er geen letsel",
    ],
}
EN: dict[str, list[str]] = {
    "hazard": [
        "dust", "fatigue", "ice", "heat", "rollover", "collision",
        "negligent discharge", "ammunition incident", "dehydration", "hypothermia",
        "frostbite", "drowning", "fire", "carbon monoxide", "electrocution",
        "fall from height", "lifting accident", "crush injury", "hearing damage",
        "heat stroke", "food poisoning", "malaria", "snake bite", "sandstorm",
        "flooding", "lightning", "unexploded ordnance", "landmine", "IED",
        "indirect fire", "fuel leak", "back injury",
    ],
    "place": [
        "the camp", "the guard post", "the firing range", "the ammunition store",
        "the fuel point", "the training area", "the landing site", "the workshop",
        "the kitchen", "the sleeping quarters", "the aid post", "the convoy",
        "the main supply route", "the depot", "the gate", "the motor pool", "the port",
        "the airfield", "the border crossing", "the river", "the bridge",
        "the village", "the water plant", "the command post", "the hangar",
        "the warehouse",
    ],
    "equipment": [
        "generator", "radio", "container", "rifle", "pistol", "mortar", "fuze",
        "grenade", "vehicle", "night vision goggles", "helmet", "body armour",
        "stretcher", "crane", "forklift", "tanker", "truck", "water pump",
        "cooling unit", "air conditioning", "lighting", "battery", "winch",
        "tow cable", "trailer", "drone", "first aid kit", "gas mask", "heater",
        "jerry can", "sandbag", "fire extinguisher", "helicopter", "armoured vehicle",
    ],
    "cause": [
        "too little rest", "unclear instructions", "time pressure", "poor maintenance",
        "a missing checklist", "inexperience", "poor visibility", "excessive speed",
        "tired drivers", "lack of supervision", "wrong storage",
        "a broken cooling unit", "no briefing", "a language barrier",
        "insufficient training", "outdated procedures", "a rushed departure",
        "poor communications", "missing spare parts", "a shift change", "night work",
        "extreme temperatures", "local driving habits", "poor lighting",
    ],
    "measure": [
        "changed the procedure", "gave an extra briefing", "planned rest periods",
        "introduced a checklist", "moved the storage", "installed cooling",
        "added supervision", "changed the route", "limited the speed",
        "installed lighting", "inspected the equipment", "held a drill",
        "translated the instruction", "introduced a buddy system",
        "adjusted the work-rest cycle", "put up shade", "staged drinking water",
        "appointed a safety officer", "measured the temperature",
    ],
    "time": [
        "at night", "at dawn", "after lunch", "during the handover",
        "returning from patrol", "while refuelling", "in the first week",
        "after a long drive", "during the exercise", "in strong wind",
        "above 45 degrees", "in the rainy season", "during the guard change",
        "just before departure", "during the rotation",
    ],
    "effect": [
        "a soldier was injured", "the vehicle was damaged",
        "a medical evacuation was needed", "there was a near miss", "the power failed",
        "the exercise was stopped", "two soldiers fell ill",
        "the ammunition was damaged", "communications were lost",
        "a container burnt out", "the route was closed", "nobody was hurt",
    ],
}
# fmt: on
# The long tail: compounds, places and types, most of them rare.
_PREFIXES = (  # noqa: SIM905
    "munitie brandstof water voertuig wapen wacht schiet oefen konvooi kamp "
    "genees stroom verbinding licht nacht zand lucht grens patrouille depot "
    "koel opslag hijs werk veiligheids bevoorradings onderhouds herstel "
    "verkennings genie transport keuken sanitair afval rust slaap hitte koude "
    "regen storm sneeuw modder olie accu gas lucht vracht munitie schaduw "
    "drink nood reserve hulp alarm brug pantser rups wiel band rem motor "
    "radar antenne wapen"
).split()
_HEADS = (  # noqa: SIM905
    "opslag container post plaats route plan procedure instructie kist wagen "
    "ploeg terrein zone installatie middel kaart rapport systeem voorziening "
    "pomp tent depot schema controle toezicht lek tank filter slang kabel "
    "lamp dak vloer deur trap ladder haak riem tas doos bak mat net paal "
    "mast hek muur put gat spoor"
).split()
_NAMES = (  # noqa: SIM905
    "Rukla Pabrade Gaizunai Vilnius Kaunas Gao Tessalit Timboektoe Kidal "
    "Menaka Bamako Erbil Bagdad Sulaymaniyah Kunduz Mazar-e-Sharif Kandahar "
    "Uruzgan Tarin Kowt Deh Rawod Amman Zarqa Constanta Cincu Novo Selo "
    "Pristina Mitrovica Mogadishu Berbera Djibouti Souda Bardufoss Setermoen "
    "Boxer Fennek CV90 Bushmaster DAF YAM Scania Mercedes G-wagen Viking "
    "Leopard Panzerhaubitze Chinook Cougar Apache Patriot Stinger Panzerfaust "
    "Glock Colt C7 C8 Minimi FN MAG Javelin Gecko Caracal"
).split()


class Zipf:
    """Draw from a list ordered by rank with weight 1/rank^s (fast: bisect)."""

    def __init__(self, values: Sequence[str], s: float = 1.05) -> None:
        self.values = list(values)
        self.cum = list(
            itertools.accumulate(1 / (rank**s) for rank in range(1, len(values) + 1))
        )
        self.total = self.cum[-1]

    def draw(self, rng: random.Random) -> str:
        return self.values[bisect.bisect(self.cum, rng.random() * self.total)]


def _tail(rng: random.Random) -> list[str]:
    compounds = [p + h for p in _PREFIXES for h in _HEADS if p != h]
    words = compounds + _NAMES
    rng.shuffle(words)
    return words


_TEMPLATES_NL = [
    "Bij {place} ontstond {time} {hazard} door {cause}.",
    "{time} {effect} bij {place}; oorzaak was {cause}.",
    "Het {equipment} bij {place} was niet gekeurd, waardoor {hazard} dreigde.",
    "Tijdens werk aan de {equipment} {effect}.",
    "Risico op {hazard} bij {place} werd onderschat door {cause}.",
    "De eenheid heeft {measure}; sindsdien geen {hazard} meer.",
    "In {name} is de {tail} niet op orde; {cause} speelt mee.",
    "Melding over de {tail} bij {place} {time}.",
    "{cause} leidde tot {hazard} met de {equipment}.",
    "Aanbevolen: de {tail} controleren en {measure}.",
    "De commandant heeft {measure} na {hazard} bij {place}.",
    "Bij de {equipment} in {name} {effect}.",
]
_TEMPLATES_EN = [
    "At {place} {hazard} occurred {time} because of {cause}.",
    "{time} {effect} near {place}; the cause was {cause}.",
    "The {equipment} at {place} had not been inspected, risking {hazard}.",
    "While working on the {equipment} {effect}.",
    "The risk of {hazard} at {place} was underestimated due to {cause}.",
    "The unit {measure}; no {hazard} since.",
    "In {name} the {tail} was not in order; {cause} played a part.",
    "{cause} led to {hazard} with the {equipment}.",
    "Recommended: check the {tail} and {measure}.",
]
_SLOT = re.compile(r"\{(\w+)\}")


def _parse(template: str) -> list[tuple[bool, str]]:
    parts, last = [], 0
    for m in _SLOT.finditer(template):
        parts.append((False, template[last : m.start()]))
        parts.append((True, m.group(1)))
        last = m.end()
    parts.append((False, template[last:]))
    return parts


class TextMaker:
    """Sentences from templates with Zipf-drawn words, Dutch or English.

    Each text is about one topic (a hazard, a place, a piece of equipment, a
    cause, a measure, drawn once); its sentences mostly reuse the topic's
    words, as a real report does, and sometimes draw others."""

    STICKY = 0.75  # how often a sentence reuses the topic's word for a slot

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        tail = Zipf(_tail(rng), s=1.0)
        names = Zipf(_NAMES, s=0.9)
        self.slots = {
            lang: {
                **{k: Zipf(v, s=0.9) for k, v in vocab.items()},
                "tail": tail,
                "name": names,
            }
            for lang, vocab in (("nl", NL), ("en", EN))
        }
        self.templates = {
            "nl": [_parse(t) for t in _TEMPLATES_NL],
            "en": [_parse(t) for t in _TEMPLATES_EN],
        }
        self.lang = "nl"
        self.current: dict[str, str] = {}

    def topic(self, lang: str) -> None:
        """Start a new text in this language about a new topic."""
        self.lang = lang
        self.current = {k: z.draw(self.rng) for k, z in self.slots[lang].items()}

    def _word(self, slot: str) -> str:
        if self.rng.random() < self.STICKY:
            return self.current[slot]
        return self.slots[self.lang][slot].draw(self.rng)

    def sentence(self) -> str:
        text = "".join(
            self._word(value) if is_slot else value
            for is_slot, value in self.rng.choice(self.templates[self.lang])
        )
        return text[0].upper() + text[1:]

    def text(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def title(self) -> str:
        word = "bij" if self.lang == "nl" else "at"
        title = f"{self.current['hazard']} {word} {self.current['place']}"
        if self.rng.random() < 0.4:
            title += f" ({self.current['equipment']})"
        return (title[0].upper() + title[1:])[:200]


# Hazard category by the words of a title (first hit wins), else random.
_CATEGORY_HINTS = [
    ("munitie", "weapons-ammo"),
    ("ammunition", "weapons-ammo"),
    ("schot", "weapons-ammo"),
    ("discharge", "weapons-ammo"),
    ("IED", "hostile"),
    ("vuur", "hostile"),
    ("fire", "fire"),
    ("mijn", "hostile"),
    ("landmine", "hostile"),
    ("ordnance", "hostile"),
    ("hitte", "climate"),
    ("heat", "climate"),
    ("koude", "climate"),
    ("bevriezing", "climate"),
    ("frostbite", "climate"),
    ("ijzel", "climate"),
    ("vermoeidheid", "human"),
    ("fatigue", "human"),
    ("verdrinking", "water"),
    ("drowning", "water"),
    ("verkeer", "traffic"),
    ("collision", "traffic"),
    ("aanrijding", "traffic"),
    ("kantelen", "vehicle"),
    ("rollover", "vehicle"),
    ("voertuig", "vehicle"),
    ("malaria", "medical"),
    ("dengue", "medical"),
    ("vergiftiging", "medical"),
    ("brand", "fire"),
    ("koolmonoxide", "fire"),
    ("hoogte", "work"),
    ("height", "work"),
    ("hijs", "work"),
    ("lifting", "work"),
    ("elektro", "work"),
    ("landing", "aviation"),
    ("zandstorm", "environment"),
]


def _weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _w in options], [w for _v, w in options])[0]


OBS_STATUS = [
    ("submitted", 25),
    ("verified", 45),
    ("in_analysis", 20),
    ("rejected", 10),
]
LESSON_STATUS = [
    ("identified", 25), ("endorsed", 12), ("tasked", 20), ("implemented", 10),
    ("validated", 28), ("closed", 5),
]  # fmt: skip
RELEASABILITY = [("parties", 60), ("defence", 30), ("organisations", 10)]
SOURCES = [("aar", 40), ("hot_wash", 20), ("occurrence", 20), ("review", 10),
           ("evaluation", 5), ("feedback", 5)]  # fmt: skip
OBS_PHASES = [("deployed", 70), ("readiness", 10), ("preparation", 8),
              ("redeployment", 7), ("post_deployment", 5)]  # fmt: skip


# -- generation ----------------------------------------------------------------
def generate(
    *,
    n_observations: int,
    n_lessons: int,
    deployments: Iterable[int],
    orgs: Sequence[int],
    users: Sequence[int] = (),
    seed: int = 1,
    today: datetime.date | None = None,
    batch_size: int = 2000,
    out: Callable[[str], None] = lambda _s: None,
) -> dict[str, int]:
    """Bulk-create observations and lessons spread over the deployments (a few
    large, many small), with categories, releases and the search index.

    ``deployments``: ids of existing deployments (with their parties);
    ``orgs``: organisation ids that rows may be released to and lessons acted
    on by; ``users``: originators. Returns the number of rows per kind."""
    from missionsafety.deployments.models import Deployment, Party
    from missionsafety.lessons.models import Lesson, Observation
    from missionsafety.risks.models import HazardCategory

    rng = random.Random(f"lessons:{seed}")
    maker = TextMaker(random.Random(f"lessons-text:{seed}"))
    today = today or timezone.localdate()
    deps = list(Deployment.objects.filter(pk__in=list(deployments)).order_by("pk"))
    if not deps:
        raise ValueError("generate needs at least one deployment")
    units: dict[int, int] = {}
    for dep_id, org_id, role in Party.objects.filter(deployment__in=deps).values_list(
        "deployment_id", "organisation_id", "role"
    ):
        if role == "deployed_unit" or dep_id not in units:
            units[dep_id] = org_id
    order = deps[:]
    rng.shuffle(order)  # which deployment is large is random, sizes are Zipf
    dep_weights = list(
        itertools.accumulate(1 / (i + 5) ** 0.9 for i in range(1, len(order) + 1))
    )
    categories = {c.code: c.pk for c in HazardCategory.objects.all()}
    category_codes = sorted(categories)
    orgs = list(orgs) or sorted(set(units.values()))
    users = list(users)

    def pick_deployment() -> Any:
        return order[bisect.bisect(dep_weights, rng.random() * dep_weights[-1])]

    def day_in(dep: Any) -> datetime.date:
        start = min(dep.start_date, today)
        end = max(start, min(dep.end_date, today))
        return start + datetime.timedelta(days=rng.randint(0, (end - start).days))

    def codes_for(title: str) -> list[str]:
        if not category_codes:
            return []
        found = [code for hint, code in _CATEGORY_HINTS if hint in title]
        codes = found[:1] or [rng.choice(category_codes)]
        if rng.random() < 0.3:
            codes.append(rng.choice(category_codes))
        return sorted({c for c in codes if c in categories})

    def release(rel: str) -> list[int]:
        return (
            rng.sample(orgs, k=min(len(orgs), rng.randint(1, 2)))
            if rel == ("organisations")
            else []
        )

    def lang() -> str:
        return "en" if rng.random() < 0.2 else "nl"

    now = timezone.now()
    clock = random.Random(f"lessons-clock:{seed}")

    def moment(day: datetime.date) -> datetime.datetime:
        """When a row was written (used where auto timestamps are switched off)."""
        at = datetime.datetime.combine(day, datetime.time(7)) + datetime.timedelta(
            minutes=clock.randint(0, 11 * 60)
        )
        return timezone.make_aware(at, datetime.UTC)

    obs_rows: list[tuple[Any, list[str], list[int]]] = []
    for _i in range(n_observations):
        dep = pick_deployment()
        language, status = lang(), _weighted(rng, OBS_STATUS)
        rel = _weighted(rng, RELEASABILITY)
        full = status in ("verified", "in_analysis") or rng.random() < 0.5
        maker.topic(language)
        title = maker.title()
        day = day_in(dep)
        obs = Observation(
            deployment=dep,
            phase=_weighted(rng, OBS_PHASES),
            observed_on=day,
            created_at=moment(day),
            updated_at=moment(day),
            title=title,
            observation=maker.text(2, 5),
            discussion=maker.text(1, 3) if full else "",
            conclusion=maker.text(1, 1) if full else "",
            recommendation=maker.text(1, 2) if full else "",
            originator_id=rng.choice(users) if users else None,
            organisation_id=units.get(dep.pk) or rng.choice(orgs),
            source=_weighted(rng, SOURCES),
            kind="good_practice" if rng.random() < 0.25 else "issue",
            tags=[maker.current["tail"]] if rng.random() < 0.3 else [],
            status=status,
            status_changed_at=now,
            releasability=rel,
        )
        obs_rows.append((obs, codes_for(title), release(rel)))
    lesson_rows: list[tuple[Any, list[str], list[int]]] = []
    for _i in range(n_lessons):
        dep = pick_deployment()
        language, status = lang(), _weighted(rng, LESSON_STATUS)
        rel = _weighted(rng, RELEASABILITY)
        maker.topic(language)
        title = maker.title()
        advanced = status not in ("identified",)
        day = day_in(dep)
        lesson = Lesson(
            deployment=dep,
            title=title,
            identified_on=day,
            created_at=moment(day),
            updated_at=moment(day),
            root_cause=maker.text(1, 3),
            remedial_action=maker.text(1, 2),
            action_body_id=rng.choice(orgs) if advanced else None,
            tasking_authority_id=rng.choice(orgs) if advanced else None,
            due_date=day_in(dep) + datetime.timedelta(days=rng.randint(30, 180))
            if advanced
            else None,
            validation_evidence=maker.text(1, 1) if status == "validated" else "",
            status=status,
            status_changed_at=now,
            created_by_id=rng.choice(users) if users else None,
            releasability=rel,
        )
        lesson_rows.append((lesson, codes_for(title), release(rel)))
    with transaction.atomic():
        _write(Observation, obs_rows, categories, batch_size)
        _write(Lesson, lesson_rows, categories, batch_size)
        entries = _index(obs_rows, lesson_rows, batch_size)
    out(
        f"lessons: {n_observations} observations, {n_lessons} lessons, {entries} entries"
    )
    return {"observations": n_observations, "lessons": n_lessons, "entries": entries}


def _write(
    model: Any,
    rows: list[tuple[Any, list[str], list[int]]],
    categories: dict[str, int],
    batch_size: int,
) -> None:
    """Rows, then their categories and releases (ids come back from the insert)."""
    model.objects.bulk_create([r[0] for r in rows], batch_size=batch_size)
    fk = f"{model._meta.model_name}_id"
    cats, rels = model.categories.through, model.released_to.through
    cats.objects.bulk_create(
        (
            cats(**{fk: obj.pk, "hazardcategory_id": categories[c]})
            for obj, codes, _r in rows
            for c in codes
        ),
        batch_size=batch_size * 2,
    )
    rels.objects.bulk_create(
        (
            rels(**{fk: obj.pk, "organisation_id": org})
            for obj, _c, released in rows
            for org in released
        ),
        batch_size=batch_size * 2,
    )


def _index(
    obs_rows: list[tuple[Any, list[str], list[int]]],
    lesson_rows: list[tuple[Any, list[str], list[int]]],
    batch_size: int,
) -> int:
    """Search entries in bulk; the full-text index filled once, not per row."""
    from missionsafety.lessons.index import lesson_entry, observation_entry
    from missionsafety.lessons.models import SearchEntry

    entries = [(observation_entry(o, codes), rel) for o, codes, rel in obs_rows]
    entries += [
        (
            lesson_entry(le, codes),
            sorted(
                {*rel, *(i for i in (le.action_body_id, le.tasking_authority_id) if i)}
            ),
        )
        for le, codes, rel in lesson_rows
    ]
    if not entries:
        return 0
    with _bulk_fulltext():
        created = SearchEntry.objects.bulk_create(
            [e for e, _a in entries], batch_size=batch_size
        )
    through = SearchEntry.audience.through
    through.objects.bulk_create(
        (
            through(searchentry_id=entry.pk, organisation_id=org)
            for entry, (_e, audience) in zip(created, entries, strict=True)
            for org in audience
        ),
        batch_size=batch_size * 2,
    )
    return len(created)


class _bulk_fulltext:
    """Within a transaction: insert entries without per-row index upkeep,
    then fill the full-text index for the new rows in one statement."""

    def __enter__(self) -> None:
        from missionsafety.lessons.models import SearchEntry

        migration = importlib.import_module(
            "missionsafety.lessons.migrations.0002_search_index"
        )
        self.migration = migration
        self.first = (
            SearchEntry.objects.order_by("-id").values_list("id", flat=True).first()
            or 0
        )
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER lessons_search_ai")
            elif connection.vendor == "postgresql":
                cursor.execute("DROP INDEX lessons_search_document_idx")

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return  # the transaction rolls the DDL back with the rows
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO lessons_search_fts(rowid, title, text, terms)"
                    " SELECT id, title, text, terms FROM lessons_searchentry"
                    " WHERE id > %s",
                    [self.first],
                )
                cursor.execute(self.migration.SQLITE_UP[1])
            elif connection.vendor == "postgresql":
                # Foreign keys are checked at commit; an index cannot be built
                # on a table with checks pending, so check them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(self.migration.POSTGRES_UP[1])
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# The reference data set (``missionsafety generate``), where it is installed:
# observations and lessons over its deployments, released to and acted on by
# its brigades and battalions.
try:
    from missionsafety.core.generation import GenContext, register
except ImportError:  # pragma: no cover - without the reference generator
    pass
else:

    @register("lessons", order=70, models=("lessons.Observation", "lessons.Lesson"))
    def gen_lessons(ctx: GenContext) -> dict[str, int]:
        return generate(
            n_observations=ctx.n("observations"),
            n_lessons=ctx.n("lessons"),
            deployments=[d.id for d in ctx.deployments],
            orgs=[*ctx.brigades, *ctx.battalions],
            users=ctx.users,
            seed=ctx.seed,
            today=ctx.today,
            batch_size=ctx.batch_size,
        )
