"""Report-like text for generated rows, in Dutch (mostly) and English.

Each hazard of a category carries a few causes, consequences and controls; a
generated risk combines one of each with an activity, a place and equipment,
so that registers read like real ones and search has varied words to find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

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


H = HazardText
HAZARDS: list[HazardText] = [
    H(
        "vehicle",
        ("Kantelen van voertuig", "Vehicle rollover"),
        (
            "Een {equipment} kantelt in de berm of op een helling.",
            "A {equipment} rolls over on a verge or a slope.",
        ),
        (
            ("zachte berm na regenval", "soft verge after rain"),
            ("te hoge snelheid in bochten", "excessive speed in bends"),
            (
                "onervaren bestuurder op onbekende route",
                "inexperienced driver on an unfamiliar route",
            ),
        ),
        (
            ("dodelijk letsel van inzittenden", "fatal injury to occupants"),
            (
                "beknelling en langdurige bevrijding",
                "entrapment and lengthy extraction",
            ),
        ),
        (
            (
                "engineer",
                "rolbeugel en vijfpuntsgordels",
                "roll bar and five-point harnesses",
            ),
            (
                "administrate",
                "rijinstructie voor lokaal terrein",
                "driver briefing for local terrain",
            ),
            (
                "administrate",
                "maximumsnelheid 40 km/u op onverharde wegen",
                "speed limit 40 km/h on unpaved roads",
            ),
            (
                "protect",
                "helm en gordel verplicht voor alle inzittenden",
                "helmet and seat belt for all occupants",
            ),
        ),
    ),
    H(
        "vehicle",
        ("Aanrijding bij achteruitrijden", "Collision while reversing"),
        (
            "Een {equipment} rijdt achteruit en raakt personeel op {place}.",
            "A {equipment} reverses into personnel at {place}.",
        ),
        (
            ("geen uitwijzer aanwezig", "no ground guide present"),
            ("beperkt zicht in het donker", "poor visibility at night"),
        ),
        (
            ("verbrijzeling van ledematen", "crushed limbs"),
            ("schade aan materieel", "damage to equipment"),
        ),
        (
            (
                "administrate",
                "uitwijzer verplicht bij achteruitrijden",
                "ground guide mandatory when reversing",
            ),
            (
                "engineer",
                "achteruitrijcamera en piepsignaal",
                "reversing camera and alarm",
            ),
            (
                "protect",
                "reflecterend vest op het voertuigpark",
                "high-visibility vest in the vehicle park",
            ),
        ),
    ),
    H(
        "weapons-ammo",
        ("Onbedoeld schot", "Negligent discharge"),
        (
            "Een wapen gaat onbedoeld af tijdens {activity}.",
            "A weapon discharges unintentionally during {activity}.",
        ),
        (
            (
                "onvoldoende veiligheidscontrole bij ontladen",
                "insufficient safety check when unloading",
            ),
            ("vermoeidheid na lange dienst", "fatigue after a long shift"),
            (
                "onbekendheid met het wapen van de partnernatie",
                "unfamiliarity with the partner nation's weapon",
            ),
        ),
        (
            ("schotwond bij eigen personeel", "gunshot wound to own personnel"),
            (
                "verlies van vertrouwen van de lokale bevolking",
                "loss of trust of the local population",
            ),
        ),
        (
            (
                "engineer",
                "ontlaadbak bij ingang van het kamp",
                "clearing bay at the camp entrance",
            ),
            (
                "administrate",
                "ontladen onder toezicht van een onderofficier",
                "unloading under supervision of an NCO",
            ),
            (
                "administrate",
                "wapenhandelingstraining voor vertrek",
                "weapon handling training before departure",
            ),
        ),
    ),
    H(
        "weapons-ammo",
        ("Munitie bij hoge temperatuur", "Ammunition at high temperature"),
        (
            "Munitie in containers op {place} raakt oververhit.",
            "Ammunition stored in containers at {place} overheats.",
        ),
        (
            ("opslag in de volle zon", "storage in direct sunlight"),
            ("uitgevallen koeling", "failed cooling"),
        ),
        (
            (
                "ontbranding of explosie in de opslag",
                "ignition or explosion in storage",
            ),
            (
                "onbruikbare munitie voor de opdracht",
                "ammunition unusable for the mission",
            ),
        ),
        (
            (
                "engineer",
                "schaduwdak en temperatuurbewaking",
                "sun shelter and temperature monitoring",
            ),
            (
                "administrate",
                "dagelijkse controle van de opslagtemperatuur",
                "daily check of storage temperature",
            ),
            (
                "substitute",
                "opslag in gekoelde ISO-containers",
                "storage in refrigerated ISO containers",
            ),
        ),
    ),
    H(
        "hostile",
        ("IED langs de route", "IED along the route"),
        (
            "Een geïmproviseerd explosief langs {place} tijdens {activity}.",
            "An improvised explosive device along {place} during {activity}.",
        ),
        (
            ("voorspelbaar routegebruik", "predictable route use"),
            (
                "beperkte inlichtingen over de route",
                "limited intelligence about the route",
            ),
        ),
        (
            ("meerdere gewonden en doden", "multiple casualties"),
            ("verlies van een voertuig", "loss of a vehicle"),
        ),
        (
            (
                "eliminate",
                "route vermijden en alternatieve route kiezen",
                "avoid the route and choose an alternative",
            ),
            (
                "engineer",
                "jammers en mijnbestendige voertuigen",
                "jammers and mine-protected vehicles",
            ),
            (
                "administrate",
                "routeverkenning door C-IED-team",
                "route clearance by a C-IED team",
            ),
            ("protect", "scherfvest en helm", "body armour and helmet"),
        ),
    ),
    H(
        "hostile",
        ("Indirect vuur op het kamp", "Indirect fire on the camp"),
        (
            "Raketten of mortiergranaten treffen {place}.",
            "Rockets or mortar rounds hit {place}.",
        ),
        (
            ("toegenomen activiteit van milities", "increased militia activity"),
            (
                "onvoldoende beschermde slaapaccommodatie",
                "insufficiently protected sleeping quarters",
            ),
        ),
        (
            ("doden en zwaargewonden", "fatalities and serious injuries"),
            ("uitval van de commandopost", "loss of the command post"),
        ),
        (
            (
                "engineer",
                "bunkers binnen 30 seconden bereikbaar",
                "bunkers within 30 seconds' reach",
            ),
            ("engineer", "C-RAM waarschuwingssysteem", "C-RAM warning system"),
            ("administrate", "alarmoefening elke week", "weekly alarm drill"),
        ),
    ),
    H(
        "climate",
        ("Hitteletsel", "Heat injury"),
        (
            "Personeel raakt oververhit tijdens {activity} bij temperaturen boven 40 °C.",
            "Personnel overheat during {activity} in temperatures above 40 °C.",
        ),
        (
            ("onvoldoende acclimatisatie", "insufficient acclimatisation"),
            ("te weinig drinkwater meegenomen", "too little drinking water carried"),
            ("zware bepakking", "heavy load"),
        ),
        (
            ("hitteberoerte met blijvend letsel", "heat stroke with permanent injury"),
            ("uitval van een groep voor dagen", "a section out of action for days"),
        ),
        (
            (
                "administrate",
                "werk-rustschema volgens WBGT-index",
                "work-rest schedule by WBGT index",
            ),
            (
                "administrate",
                "acclimatisatie van 10 dagen na aankomst",
                "10-day acclimatisation after arrival",
            ),
            (
                "engineer",
                "schaduw en koeling op de werkplek",
                "shade and cooling at the workplace",
            ),
        ),
    ),
    H(
        "climate",
        ("Bevriezing", "Cold injury"),
        (
            "Bevriezing van handen en voeten tijdens {activity} in de winter.",
            "Frostbite of hands and feet during {activity} in winter.",
        ),
        (
            ("natte kleding bij vorst", "wet clothing in frost"),
            ("lange stilstand in de open lucht", "long static periods in the open"),
        ),
        (
            ("blijvend weefselverlies", "permanent tissue loss"),
            ("verminderde inzetbaarheid", "reduced readiness"),
        ),
        (
            (
                "protect",
                "koudeweerkleding volgens laagprincipe",
                "cold-weather clothing in layers",
            ),
            (
                "administrate",
                "buddycontrole op bevriezing",
                "buddy checks for frostbite",
            ),
            (
                "engineer",
                "verwarmde tenten op de stellingen",
                "heated tents at the positions",
            ),
        ),
    ),
    H(
        "medical",
        ("Infectieziekte", "Infectious disease"),
        (
            "Uitbraak van {disease} onder het personeel op {place}.",
            "Outbreak of {disease} among personnel at {place}.",
        ),
        (
            ("besmet drinkwater", "contaminated drinking water"),
            ("onvoldoende hygiëne in de keuken", "poor kitchen hygiene"),
            ("muggen in het regenseizoen", "mosquitoes in the rainy season"),
        ),
        (
            ("groot deel van de eenheid ziek", "a large part of the unit falls ill"),
            ("afvoer van patiënten naar Nederland", "repatriation of patients"),
        ),
        (
            (
                "administrate",
                "vaccinaties en profylaxe voor vertrek",
                "vaccinations and prophylaxis before departure",
            ),
            (
                "engineer",
                "waterzuivering en dagelijkse controle",
                "water purification and daily testing",
            ),
            (
                "protect",
                "klamboes en insectenwerend middel",
                "bed nets and insect repellent",
            ),
        ),
    ),
    H(
        "medevac",
        ("Te lange evacuatietijd", "Evacuation time too long"),
        (
            "Een gewonde op {place} bereikt niet binnen het gouden uur een chirurgische faciliteit.",
            "A casualty at {place} does not reach surgical care within the golden hour.",
        ),
        (
            (
                "helikopter niet beschikbaar bij slecht weer",
                "helicopter unavailable in bad weather",
            ),
            (
                "afspraken met de partnernatie onduidelijk",
                "unclear arrangements with the partner nation",
            ),
        ),
        (
            ("overlijden dat voorkomen had kunnen worden", "a preventable death"),
            ("blijvend letsel", "permanent injury"),
        ),
        (
            (
                "administrate",
                "MEDEVAC-plan getoetst door de brigade",
                "MEDEVAC plan reviewed by the brigade",
            ),
            (
                "engineer",
                "Role 1 met chirurgisch team op de basis",
                "Role 1 with a surgical team on base",
            ),
            (
                "administrate",
                "oefening 9-liner met de partnernatie",
                "9-liner drill with the partner nation",
            ),
        ),
    ),
    H(
        "human",
        ("Vermoeidheid", "Fatigue"),
        (
            "Langdurige diensten leiden tot vermoeidheid bij {activity}.",
            "Long shifts lead to fatigue during {activity}.",
        ),
        (
            ("onderbezetting van de wacht", "understaffed guard roster"),
            ("slaaptekort door nachtelijke alarmen", "sleep loss from night alarms"),
        ),
        (
            ("fouten met ernstige gevolgen", "errors with serious consequences"),
            ("verkeersongevallen", "traffic accidents"),
        ),
        (
            (
                "administrate",
                "rooster met minimaal 8 uur rust",
                "roster with at least 8 hours' rest",
            ),
            (
                "administrate",
                "vermoeidheidsmelding zonder sanctie",
                "fatigue reporting without sanction",
            ),
        ),
    ),
    H(
        "human",
        ("Psychische belasting", "Psychological strain"),
        (
            "Personeel raakt psychisch overbelast na {activity}.",
            "Personnel suffer psychological strain after {activity}.",
        ),
        (
            ("confrontatie met geweld", "exposure to violence"),
            (
                "lange periode zonder contact met thuis",
                "long periods without contact with home",
            ),
        ),
        (
            ("posttraumatische stressstoornis", "post-traumatic stress disorder"),
            ("uitval tijdens de inzet", "loss of personnel during the deployment"),
        ),
        (
            (
                "administrate",
                "opvangteam en nabespreking binnen 72 uur",
                "peer support team and debrief within 72 hours",
            ),
            ("administrate", "geestelijk verzorger beschikbaar", "chaplain available"),
        ),
    ),
    H(
        "work",
        ("Val van hoogte", "Fall from height"),
        (
            "Een militair valt van een {equipment} of een wachttoren op {place}.",
            "A soldier falls from a {equipment} or a watchtower at {place}.",
        ),
        (
            ("geen valbeveiliging", "no fall protection"),
            ("gladde treden", "slippery steps"),
        ),
        (
            ("botbreuken en hoofdletsel", "fractures and head injury"),
            ("langdurig verzuim", "long-term absence"),
        ),
        (
            (
                "engineer",
                "leuningen en antislip op wachttorens",
                "guard rails and anti-slip on towers",
            ),
            (
                "protect",
                "valharnas bij werk boven 2,5 meter",
                "harness for work above 2.5 metres",
            ),
            (
                "administrate",
                "werkvergunning voor werken op hoogte",
                "permit for work at height",
            ),
        ),
    ),
    H(
        "work",
        ("Elektrocutie", "Electrocution"),
        (
            "Contact met spanning bij het aansluiten van een {equipment}.",
            "Contact with live parts when connecting a {equipment}.",
        ),
        (
            (
                "lokale installatie zonder aarding",
                "local installation without earthing",
            ),
            ("beschadigde kabels", "damaged cables"),
        ),
        (
            ("dodelijke elektrische schok", "fatal electric shock"),
            ("brand in de accommodatie", "fire in the accommodation"),
        ),
        (
            (
                "engineer",
                "aardlekschakelaars op alle groepen",
                "residual current devices on all circuits",
            ),
            (
                "administrate",
                "keuring door een bevoegd elektricien",
                "inspection by a qualified electrician",
            ),
        ),
    ),
    H(
        "water",
        ("Verdrinking", "Drowning"),
        (
            "Een militair verdrinkt tijdens {activity}.",
            "A soldier drowns during {activity}.",
        ),
        (
            ("sterke stroming", "strong current"),
            ("zware uitrusting in het water", "heavy equipment in the water"),
        ),
        (
            ("overlijden", "death"),
            ("verlies van uitrusting", "loss of equipment"),
        ),
        (
            ("protect", "reddingsvesten voor iedereen", "life jackets for everyone"),
            ("administrate", "veiligheidsboot met duiker", "safety boat with a diver"),
            ("eliminate", "oversteek via de brug", "cross by the bridge"),
        ),
    ),
    H(
        "traffic",
        ("Verkeersongeval met burgerverkeer", "Road accident with civilian traffic"),
        (
            "Botsing tussen een {equipment} en burgerverkeer op {place}.",
            "Collision between a {equipment} and civilian traffic at {place}.",
        ),
        (
            ("afwijkende lokale verkeersregels", "different local traffic rules"),
            ("slecht wegdek", "poor road surface"),
            ("rijden in colonne met te korte afstand", "convoy driving too close"),
        ),
        (
            ("letsel bij burgers", "civilian casualties"),
            ("negatieve berichtgeving", "negative media coverage"),
        ),
        (
            (
                "administrate",
                "briefing lokale verkeersregels",
                "briefing on local traffic rules",
            ),
            (
                "administrate",
                "colonnecommandant per verplaatsing",
                "convoy commander for every movement",
            ),
            (
                "engineer",
                "verlichting en markering van voertuigen",
                "vehicle lighting and markings",
            ),
        ),
    ),
    H(
        "aviation",
        ("Incident bij helikopterverplaatsing", "Helicopter lift incident"),
        (
            "Personeel raakt gewond bij in- en uitstappen van een {equipment}.",
            "Personnel injured when boarding or leaving a {equipment}.",
        ),
        (
            ("stof en beperkt zicht bij de landing", "dust and brownout at landing"),
            ("onbekendheid met de procedures", "unfamiliarity with procedures"),
        ),
        (
            ("letsel door rotorbladen", "injury from rotor blades"),
            ("uitval van de verplaatsing", "cancelled lift"),
        ),
        (
            (
                "administrate",
                "instructie door de loadmaster",
                "briefing by the loadmaster",
            ),
            (
                "engineer",
                "landingsplaats bevochtigd tegen stof",
                "landing site dampened against dust",
            ),
        ),
    ),
    H(
        "environment",
        ("Instorten van gebouw", "Building collapse"),
        (
            "Een gehuurd gebouw op {place} voldoet niet aan de bouwnormen.",
            "A leased building at {place} does not meet building standards.",
        ),
        (
            ("aardbevingsgevoelig gebied", "earthquake-prone area"),
            ("overbelasting van de vloer", "floor overloading"),
        ),
        (
            ("doden onder het puin", "fatalities under debris"),
            ("verlies van de huisvesting", "loss of accommodation"),
        ),
        (
            (
                "administrate",
                "bouwkundige inspectie voor gebruik",
                "structural survey before use",
            ),
            ("eliminate", "ander gebouw betrekken", "move to another building"),
        ),
    ),
    H(
        "fire",
        ("Brand in de accommodatie", "Fire in the accommodation"),
        (
            "Brand in een container of tent op {place}.",
            "Fire in a container or tent at {place}.",
        ),
        (
            ("overbelaste stekkerdozen", "overloaded power strips"),
            ("roken buiten de rookplaats", "smoking outside designated areas"),
        ),
        (
            ("rookvergiftiging en brandwonden", "smoke inhalation and burns"),
            ("verlies van persoonlijke uitrusting", "loss of personal equipment"),
        ),
        (
            (
                "engineer",
                "rookmelders en blusmiddelen per container",
                "smoke detectors and extinguishers per container",
            ),
            (
                "administrate",
                "ontruimingsoefening per maand",
                "monthly evacuation drill",
            ),
            (
                "substitute",
                "gecertificeerde verdeeldozen",
                "certified power distribution",
            ),
        ),
    ),
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
