"""Hazard texts of support and daily life: medical care and evacuation, people,
work, water, traffic, aviation, the environment, fire."""

from __future__ import annotations

from typing import Any

# (category, (title nl, en), (description nl, en), causes, consequences,
# controls as (kind, nl, en)): the fields of ``text.HazardText`` in order.
SUPPORT_HAZARDS: list[tuple[Any, ...]] = [
    (
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
    (
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
    (
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
    (
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
    (
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
    (
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
    (
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
    (
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
    (
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
    (
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
    (
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
