"""Hazard texts of operations in the field: vehicles, weapons and ammunition,
hostile action, climate."""

from __future__ import annotations

from typing import Any

# (category, (title nl, en), (description nl, en), causes, consequences,
# controls as (kind, nl, en)): the fields of ``text.HazardText`` in order.
FIELD_HAZARDS: list[tuple[Any, ...]] = [
    (
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
    (
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
    (
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
    (
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
    (
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
    (
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
    (
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
    (
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
]
