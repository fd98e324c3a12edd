"""Words, names and sentence templates that make realistic Dutch and English observation texts."""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections.abc import Sequence

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
