"""The starter hazard library that ships (installed by a data migration)."""

from __future__ import annotations

from typing import Any


def _h(
    code: str,
    category: str,
    name: tuple[str, str],
    description: tuple[str, str],
    cause: tuple[str, str],
    consequence: tuple[str, str],
    controls: list[tuple[str, str, str]],
) -> dict[str, Any]:
    return {
        "code": code,
        "category": category,
        "name_nl": name[0],
        "name_en": name[1],
        "description_nl": description[0],
        "description_en": description[1],
        "typical_cause": {"nl": cause[0], "en": cause[1]},
        "typical_consequence": {"nl": consequence[0], "en": consequence[1]},
        "typical_controls": [
            {"kind": kind, "nl": nl, "en": en} for kind, nl, en in controls
        ],
    }


HAZARDS: list[dict[str, Any]] = [
    _h(
        "vehicle-rollover",
        "vehicle",
        ("Kantelen of over de kop slaan van voertuig", "Vehicle rollover"),
        (
            "Pantser- of wielvoertuig kantelt in terrein, op onverharde bermen of bij "
            "het passeren van sloten en bruggen.",
            "Armoured or wheeled vehicle rolls over in rough terrain, on soft verges "
            "or when crossing ditches and bridges.",
        ),
        (
            "Zachte bermen, hoge zwaartepunt, onervaren bestuurder, snelheid.",
            "Soft verges, high centre of gravity, inexperienced driver, speed.",
        ),
        (
            "Bekneld raken, dodelijk letsel van bemanning en boordschutter.",
            "Crew and gunner trapped or killed.",
        ),
        [
            (
                "administrate",
                "Rijvaardigheidstraining en terreinverkenning vooraf",
                "Driver training and route reconnaissance",
            ),
            (
                "engineer",
                "Rolbeugel en vijfpuntsgordels op alle voertuigen",
                "Roll-over protection and five-point harnesses on all vehicles",
            ),
            (
                "administrate",
                "Roll-over drill oefenen (HEAT/MRAP-trainer)",
                "Rehearse roll-over drills (HEAT/MRAP trainer)",
            ),
        ],
    ),
    _h(
        "vehicle-movement-camp",
        "vehicle",
        ("Voertuigbewegingen op de basis", "Vehicle movement in camp"),
        (
            "Manoeuvrerende voertuigen tussen voetgangers op kampement en werkplaats.",
            "Manoeuvring vehicles among pedestrians in camp and workshops.",
        ),
        (
            "Beperkt zicht, achteruitrijden zonder begeleider.",
            "Limited view, reversing without a guide.",
        ),
        ("Aanrijding met voetganger.", "Pedestrian struck."),
        [
            (
                "engineer",
                "Gescheiden looproutes en snelheidsdrempels",
                "Separate walkways and speed bumps",
            ),
            (
                "administrate",
                "Achteruitrijden alleen met rijgeleider",
                "Reverse only with a ground guide",
            ),
            (
                "protect",
                "Reflecterende hesjes na zonsondergang",
                "High-visibility vests after dark",
            ),
        ],
    ),
    _h(
        "ammo-storage-heat",
        "weapons-ammo",
        ("Munitieopslag bij hoge temperaturen", "Ammunition storage in heat"),
        (
            "Munitie en explosieven opgeslagen in containers die in de zon boven de "
            "toegestane temperatuur komen.",
            "Ammunition and explosives stored in containers that heat up in the sun "
            "above the permitted temperature.",
        ),
        (
            "Geen schaduw of koeling, ontbrekende temperatuurregistratie.",
            "No shade or cooling, no temperature logging.",
        ),
        (
            "Verminderde betrouwbaarheid, spontane ontbranding, explosie in de opslag.",
            "Reduced reliability, spontaneous ignition, explosion in storage.",
        ),
        [
            (
                "engineer",
                "Zonwering en geventileerde of gekoelde opslagcontainers",
                "Sun shading and ventilated or cooled storage containers",
            ),
            (
                "administrate",
                "Dagelijkse temperatuurregistratie met maximum-thermometer",
                "Daily temperature log with max-thermometer",
            ),
            (
                "administrate",
                "Veiligheidsafstanden en explosievenvergunning toetsen",
                "Check safety distances and explosives licence",
            ),
        ],
    ),
    _h(
        "weapon-handling",
        "weapons-ammo",
        (
            "Wapenbehandeling en onbedoeld schot",
            "Weapon handling and negligent discharge",
        ),
        (
            "Onbedoelde schoten bij laden, ontladen en wapenonderhoud.",
            "Negligent discharges when loading, unloading and cleaning weapons.",
        ),
        (
            "Vermoeidheid, routine, ontbrekende ontlaadpunten.",
            "Fatigue, routine, missing clearing bays.",
        ),
        ("Schotwond, dodelijk letsel.", "Gunshot wound, fatality."),
        [
            (
                "engineer",
                "Ontlaadpunten (clearing bays) bij elke ingang",
                "Clearing bays at every entrance",
            ),
            (
                "administrate",
                "Laad- en ontlaadprocedure onder toezicht",
                "Supervised loading and unloading drill",
            ),
        ],
    ),
    _h(
        "ammo-handling-training",
        "weapons-ammo",
        (
            "Munitie en explosieven bij oefeningen",
            "Ammunition and explosives in training",
        ),
        (
            "Omgang met scherpe munitie, ontstekers en blindgangers op oefenterrein.",
            "Handling live ammunition, fuzes and duds on training areas.",
        ),
        (
            "Onvoldoende instructie, blindgangers niet gemarkeerd.",
            "Insufficient instruction, unmarked duds.",
        ),
        ("Explosie, ernstig letsel.", "Explosion, serious injury."),
        [
            (
                "administrate",
                "Schietveiligheidsplan en leider schietoefening",
                "Range safety plan and range officer",
            ),
            (
                "eliminate",
                "Blindgangers niet benaderen; EOD inschakelen",
                "Do not approach duds; call EOD",
            ),
        ],
    ),
    _h(
        "ied",
        "hostile",
        ("Geïmproviseerde explosieven (IED)", "Improvised explosive devices (IED)"),
        (
            "IED's langs routes, bij controlepunten of in gebouwen.",
            "IEDs along routes, at checkpoints or in buildings.",
        ),
        (
            "Vijandelijke activiteit, voorspelbare routes.",
            "Hostile activity, predictable routes.",
        ),
        ("Dodelijk letsel, verlies van voertuigen.", "Fatalities, loss of vehicles."),
        [
            (
                "engineer",
                "Mijnbestendige voertuigen en jammers",
                "Mine-protected vehicles and jammers",
            ),
            (
                "administrate",
                "Routes en tijden variëren; C-IED-training",
                "Vary routes and times; C-IED training",
            ),
            (
                "protect",
                "Helm, scherfvest en oogbescherming",
                "Helmet, body armour and eye protection",
            ),
        ],
    ),
    _h(
        "indirect-fire",
        "hostile",
        ("Indirect vuur op de basis", "Indirect fire on the base"),
        (
            "Raketten of mortieren op kampement.",
            "Rockets or mortars on camp.",
        ),
        ("Vijandelijke beschietingen.", "Hostile attacks."),
        (
            "Scherfletsel, dood, schade aan infrastructuur.",
            "Fragmentation injuries, death, damage.",
        ),
        [
            (
                "engineer",
                "Bunkers en beschermde slaapplaatsen",
                "Bunkers and protected sleeping areas",
            ),
            (
                "administrate",
                "Alarmeringsprocedure en schuilinstructie",
                "Warning system and take-cover drill",
            ),
        ],
    ),
    _h(
        "heat-injury",
        "climate",
        ("Hitteletsel", "Heat injury"),
        (
            "Hitte-uitputting en hitteberoerte bij inspanning in warm klimaat.",
            "Heat exhaustion and heat stroke when working hard in a hot climate.",
        ),
        (
            "Onvoldoende acclimatisatie, zware bepakking, te weinig drinken.",
            "Insufficient acclimatisation, heavy loads, dehydration.",
        ),
        (
            "Hitteberoerte, blijvend letsel of dood.",
            "Heat stroke, permanent injury or death.",
        ),
        [
            (
                "administrate",
                "Acclimatisatieschema en WBGT-meting",
                "Acclimatisation schedule and WBGT monitoring",
            ),
            (
                "administrate",
                "Werk-rustschema en drinkplan",
                "Work-rest cycle and hydration plan",
            ),
            (
                "engineer",
                "Schaduw en koelmogelijkheden (koelvesten, ijsbaden)",
                "Shade and cooling (cooling vests, ice baths)",
            ),
        ],
    ),
    _h(
        "cold-injury",
        "climate",
        ("Koudeletsel", "Cold injury"),
        (
            "Bevriezing en onderkoeling bij winteroefeningen en lange wachtdiensten.",
            "Frostbite and hypothermia in winter exercises and long watches.",
        ),
        (
            "Natte kleding, wind, onvoldoende rust.",
            "Wet clothing, wind, insufficient rest.",
        ),
        ("Bevriezing, onderkoeling, amputatie.", "Frostbite, hypothermia, amputation."),
        [
            (
                "protect",
                "Koudebeschermende kleding in laagjes",
                "Layered cold-weather clothing",
            ),
            (
                "administrate",
                "Buddycheck op koude-signalen en opwarmmomenten",
                "Buddy checks for cold signs and warm-up breaks",
            ),
        ],
    ),
    _h(
        "infectious-disease",
        "medical",
        ("Infectieziekten", "Infectious disease"),
        (
            "Voedsel- en watergerelateerde infecties, vectorziekten en uitbraken op de basis.",
            "Food- and water-borne infections, vector-borne disease and outbreaks in camp.",
        ),
        (
            "Hygiëne, lokale voedselbronnen, muggen en teken.",
            "Hygiene, local food, mosquitoes and ticks.",
        ),
        (
            "Uitval van een groot deel van de eenheid.",
            "Loss of a large part of the unit.",
        ),
        [
            (
                "administrate",
                "Vaccinaties en profylaxe volgens medisch advies",
                "Vaccinations and prophylaxis as advised",
            ),
            (
                "engineer",
                "Gecontroleerde keuken- en watervoorziening",
                "Inspected kitchen and water supply",
            ),
            (
                "protect",
                "Insectwerende middelen en klamboes",
                "Insect repellent and bed nets",
            ),
        ],
    ),
    _h(
        "medevac-time",
        "medevac",
        ("Te lange medische evacuatietijd", "Medical evacuation time too long"),
        (
            "De 10-1-2-richtlijn wordt niet gehaald door afstand, weer of "
            "beschikbaarheid van helikopters.",
            "The 10-1-2 guideline is not met because of distance, weather or "
            "helicopter availability.",
        ),
        (
            "Afgelegen locaties, weer, beperkte capaciteit.",
            "Remote sites, weather, limited capacity.",
        ),
        ("Vermijdbaar overlijden van gewonden.", "Avoidable death of casualties."),
        [
            (
                "administrate",
                "MEDEVAC-plan per activiteit met evacuatietijden",
                "MEDEVAC plan per activity with evacuation times",
            ),
            (
                "administrate",
                "Combat lifesavers per groep",
                "Combat lifesavers in every section",
            ),
            (
                "engineer",
                "Ambulance en Role 1 dichtbij de activiteit",
                "Ambulance and Role 1 near the activity",
            ),
        ],
    ),
    _h(
        "fatigue",
        "human",
        ("Vermoeidheid", "Fatigue"),
        (
            "Slaaptekort door lange diensten, nachtelijke activiteiten en tijdsverschil.",
            "Sleep debt from long shifts, night activity and jet lag.",
        ),
        (
            "Hoog operationeel tempo, onvoldoende rust.",
            "High operational tempo, insufficient rest.",
        ),
        (
            "Fouten bij rijden en wapenbehandeling.",
            "Errors in driving and weapon handling.",
        ),
        [
            (
                "administrate",
                "Dienst- en rustschema met minimaal 6 uur slaap",
                "Duty and rest roster with at least 6 hours' sleep",
            ),
            (
                "administrate",
                "Geen rijtaken na nachtdienst",
                "No driving after night duty",
            ),
        ],
    ),
    _h(
        "stress",
        "human",
        ("Psychische belasting", "Psychological strain"),
        (
            "Stress na ingrijpende gebeurtenissen, thuisfrontzorgen, langdurige dreiging.",
            "Stress after critical incidents, worries at home, prolonged threat.",
        ),
        ("Ingrijpende gebeurtenissen, isolement.", "Critical incidents, isolation."),
        ("Uitval, PTSS.", "Loss of personnel, PTSD."),
        [
            (
                "administrate",
                "Opvang na schokkende gebeurtenissen (peer support)",
                "Critical incident support (peer support)",
            ),
            (
                "administrate",
                "Contact met thuisfront faciliteren",
                "Facilitate contact with home",
            ),
        ],
    ),
    _h(
        "work-at-height",
        "work",
        ("Werken op hoogte", "Working at height"),
        (
            "Vallen van voertuigen, containers, daken en wachttorens.",
            "Falls from vehicles, containers, roofs and watchtowers.",
        ),
        (
            "Geen valbeveiliging, gladde oppervlakken.",
            "No fall protection, slippery surfaces.",
        ),
        ("Botbreuken, hoofdletsel.", "Fractures, head injuries."),
        [
            (
                "engineer",
                "Leuningen en vaste ladders op torens",
                "Railings and fixed ladders on towers",
            ),
            (
                "protect",
                "Valbeveiliging bij werk boven 2,5 m",
                "Fall arrest equipment above 2.5 m",
            ),
        ],
    ),
    _h(
        "electrical",
        "work",
        ("Elektrische installaties", "Electrical installations"),
        (
            "Provisorische bekabeling, aggregaten en lokale netten.",
            "Temporary wiring, generators and local grids.",
        ),
        ("Niet-gekeurde installaties, vocht.", "Uninspected installations, moisture."),
        ("Elektrocutie, brand.", "Electrocution, fire."),
        [
            (
                "engineer",
                "Aardlekschakelaars en geaarde aggregaten",
                "Residual current devices and earthed generators",
            ),
            (
                "administrate",
                "Keuring door erkend installateur (NEN 3140)",
                "Inspection by a qualified electrician",
            ),
        ],
    ),
    _h(
        "lifting",
        "work",
        ("Hijsen en tillen", "Lifting and hoisting"),
        (
            "Hijsen van containers en zware lasten met kranen en heftrucks.",
            "Lifting containers and heavy loads with cranes and forklifts.",
        ),
        ("Ongekeurd hijsmiddel, geen hijsplan.", "Uninspected gear, no lift plan."),
        ("Beknelling, verpletteren.", "Crushing."),
        [
            (
                "administrate",
                "Hijsplan en gecertificeerde machinist",
                "Lift plan and certified operator",
            ),
            ("engineer", "Afzetting van de gevarenzone", "Cordon off the danger zone"),
        ],
    ),
    _h(
        "water-drowning",
        "water",
        ("Verdrinking bij watergang of oversteek", "Drowning at water crossings"),
        (
            "Oversteken van rivieren, zwemmen en werken nabij water.",
            "River crossings, swimming and work near water.",
        ),
        (
            "Sterke stroming, koud water, zware uitrusting.",
            "Strong current, cold water, heavy kit.",
        ),
        ("Verdrinking.", "Drowning."),
        [
            (
                "protect",
                "Reddingsvesten bij elke oversteek",
                "Life jackets at every crossing",
            ),
            (
                "administrate",
                "Zwemverbod buiten aangewezen locaties",
                "No swimming outside designated places",
            ),
            (
                "engineer",
                "Reddingsploeg en werplijnen stroomafwaarts",
                "Rescue team and throw lines downstream",
            ),
        ],
    ),
    _h(
        "road-traffic",
        "traffic",
        ("Verkeersongevallen op de openbare weg", "Road traffic accidents"),
        (
            "Ongevallen met lokaal verkeer tijdens konvooien en transporten.",
            "Accidents with local traffic in convoys and transport.",
        ),
        (
            "Onbekende verkeersregels, slecht wegdek, duisternis.",
            "Unfamiliar rules, poor roads, darkness.",
        ),
        (
            "Letsel bij eigen personeel en burgers.",
            "Injury to own personnel and civilians.",
        ),
        [
            (
                "administrate",
                "Konvooibriefing en maximumsnelheid",
                "Convoy briefing and speed limit",
            ),
            (
                "administrate",
                "Niet rijden in het donker tenzij operationeel nodig",
                "No night driving unless operationally needed",
            ),
        ],
    ),
    _h(
        "aviation-transport",
        "aviation",
        (
            "Luchttransport met helikopters en vliegtuigen",
            "Air transport by helicopter and aircraft",
        ),
        (
            "Personeel en vracht per helikopter of tactisch transportvliegtuig.",
            "Personnel and cargo moved by helicopter or tactical airlift.",
        ),
        (
            "Weer, landingsplaats, brownout, overbelading.",
            "Weather, landing zone, brownout, overloading.",
        ),
        ("Crash, letsel door rotorbladen.", "Crash, rotor-strike injuries."),
        [
            (
                "administrate",
                "Heli-briefing en landingsplaatsinspectie",
                "Helicopter briefing and landing-zone inspection",
            ),
            (
                "protect",
                "Gehoor- en oogbescherming bij laden",
                "Hearing and eye protection when loading",
            ),
        ],
    ),
    _h(
        "fire-camp",
        "fire",
        ("Brand op de basis", "Fire in camp"),
        (
            "Brand in tenten, containers of brandstofopslag.",
            "Fire in tents, containers or fuel storage.",
        ),
        (
            "Verwarming, kookapparatuur, roken, brandstof.",
            "Heaters, cooking, smoking, fuel.",
        ),
        (
            "Brandwonden, verlies van huisvesting en materieel.",
            "Burns, loss of accommodation and equipment.",
        ),
        [
            (
                "engineer",
                "Rookmelders en blusmiddelen per verblijf",
                "Smoke detectors and extinguishers in every unit",
            ),
            (
                "administrate",
                "Ontruimingsoefening en brandwachten",
                "Evacuation drill and fire watch",
            ),
        ],
    ),
    _h(
        "hazardous-substances",
        "fire",
        ("Gevaarlijke stoffen en brandstof", "Hazardous substances and fuel"),
        (
            "Omgang met brandstof, oliën, accuzuur en lokaal verontreinigde grond.",
            "Handling fuel, oils, battery acid and locally contaminated soil.",
        ),
        (
            "Lekkage, ontbrekende veiligheidsinformatiebladen.",
            "Spills, missing safety data sheets.",
        ),
        (
            "Vergiftiging, brandwonden, milieuschade.",
            "Poisoning, burns, environmental damage.",
        ),
        [
            (
                "engineer",
                "Lekbakken en gescheiden opslag",
                "Drip trays and segregated storage",
            ),
            (
                "protect",
                "Handschoenen en gelaatsbescherming",
                "Gloves and face protection",
            ),
        ],
    ),
    _h(
        "infrastructure-collapse",
        "environment",
        ("Bouwvallige infrastructuur", "Unsafe local infrastructure"),
        (
            "Gebruik van lokale gebouwen, bruggen en wegen van onbekende staat.",
            "Use of local buildings, bridges and roads in unknown condition.",
        ),
        ("Achterstallig onderhoud, oorlogsschade.", "Poor maintenance, war damage."),
        ("Instorting, voertuig door brug.", "Collapse, vehicle through bridge."),
        [
            (
                "administrate",
                "Genie-inspectie van gebouwen en bruggen",
                "Engineer inspection of buildings and bridges",
            ),
            (
                "eliminate",
                "Niet-gekeurde bruggen vermijden",
                "Avoid uninspected bridges",
            ),
        ],
    ),
    _h(
        "wildlife-uxo",
        "environment",
        (
            "Explosieve oorlogsresten in het terrein",
            "Unexploded ordnance in the terrain",
        ),
        (
            "Achtergebleven munitie op oefen- en inzetgebieden.",
            "Remnants of war on training and operating areas.",
        ),
        ("Historische strijd, oude oefenterreinen.", "Past fighting, old ranges."),
        ("Explosie bij graafwerk of betreden.", "Explosion when digging or walking."),
        [
            (
                "administrate",
                "Terreinonderzoek vooraf en kaart met verdachte gebieden",
                "Survey and map of suspect areas",
            ),
            (
                "eliminate",
                "Graven alleen na vrijgave door EOD",
                "Dig only after EOD clearance",
            ),
        ],
    ),
    _h(
        "noise",
        "work",
        ("Lawaai en gehoorschade", "Noise and hearing damage"),
        (
            "Schieten, aggregaten en voertuigen boven 85 dB(A).",
            "Firing, generators and vehicles above 85 dB(A).",
        ),
        (
            "Geen gehoorbescherming, lange blootstelling.",
            "No hearing protection, long exposure.",
        ),
        ("Blijvende gehoorschade, tinnitus.", "Permanent hearing loss, tinnitus."),
        [
            (
                "protect",
                "Gehoorbescherming verplicht bij schieten",
                "Hearing protection mandatory when firing",
            ),
            (
                "engineer",
                "Aggregaten op afstand en afgeschermd",
                "Generators away and shielded",
            ),
        ],
    ),
]


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
