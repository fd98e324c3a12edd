"""Demo organisations and people (fictional)."""

from __future__ import annotations

from typing import Any

from missionsafety.core.demo import DEMO_PASSWORD, DemoContext
from missionsafety.organisations import services
from missionsafety.organisations.models import Organisation, User

E = Organisation.Echelon
K = Organisation.Kind

# short name, name, kind, echelon, parent short name
ORGANISATIONS = [
    ("DS", "Defensiestaf", K.OTHER, E.DEFENCE, None),
    ("NLD JFC", "Netherlands Joint Force Command", K.JOINT_HQ, E.JOINT, "DS"),
    ("Staf CLAS", "Staf Commando Landstrijdkrachten", K.ARMY_STAFF, E.SERVICE, "DS"),
    ("IVD", "Inspectie Veiligheid Defensie", K.INSPECTORATE, E.DEFENCE, "DS"),
    ("11 LMB", "11 Luchtmobiele Brigade", K.BRIGADE, E.BRIGADE, "Staf CLAS"),
    (
        "12 INFBAT",
        "12 Infanteriebataljon Luchtmobiel (RVH)",
        K.BATTALION,
        E.BATTALION,
        "11 LMB",
    ),
    ("A-CIE 12", "A-Compagnie 12 Infbat", K.COMPANY, E.COMPANY, "12 INFBAT"),
    ("13 LBR", "13 Lichte Brigade", K.BRIGADE, E.BRIGADE, "Staf CLAS"),
    ("42 BLJ", "42 Bataljon Limburgse Jagers", K.BATTALION, E.BATTALION, "13 LBR"),
    ("B-CIE 42", "B-Compagnie 42 BLJ", K.COMPANY, E.COMPANY, "42 BLJ"),
    ("C-CIE 42", "C-Compagnie 42 BLJ", K.COMPANY, E.COMPANY, "42 BLJ"),
    (
        "17 PAINFBAT",
        "17 Pantserinfanteriebataljon GFF",
        K.BATTALION,
        E.BATTALION,
        "13 LBR",
    ),
    ("43 MECHBRIG", "43 Gemechaniseerde Brigade", K.BRIGADE, E.BRIGADE, "Staf CLAS"),
    (
        "45 PAINFBAT",
        "45 Pantserinfanteriebataljon",
        K.BATTALION,
        E.BATTALION,
        "43 MECHBRIG",
    ),
    ("1 GNKBAT", "1 Geneeskundig Bataljon", K.BATTALION, E.BATTALION, "Staf CLAS"),
]

# username, first, last, rank, [(org, role, title)]
PEOPLE: list[tuple[str, str, str, str, list[tuple[str, str, str]]]] = [
    (
        "cds.commander",
        "Onno",
        "Eichelsheim",
        "GEN",
        [("DS", "commander", "Commandant der Strijdkrachten")],
    ),
    (
        "jfc.commander",
        "Marco",
        "de Vries",
        "LGEN",
        [("NLD JFC", "commander", "Commandant NLD JFC")],
    ),
    (
        "jfc.safety",
        "Sanne",
        "Bakker",
        "MAJ",
        [("NLD JFC", "safety_officer", "Veiligheidsadviseur J3")],
    ),
    (
        "jfc.lessons",
        "Pieter",
        "Jansen",
        "KAP",
        [("NLD JFC", "lessons_officer", "Lessons learned officer J7")],
    ),
    (
        "clas.commander",
        "Johan",
        "van den Berg",
        "LGEN",
        [("Staf CLAS", "commander", "Commandant Landstrijdkrachten")],
    ),
    (
        "clas.safety",
        "Ingrid",
        "Visser",
        "LKOL",
        [("Staf CLAS", "safety_officer", "Hoofd Arbo & Veiligheid CLAS")],
    ),
    (
        "clas.lessons",
        "Ruben",
        "Smit",
        "MAJ",
        [("Staf CLAS", "lessons_officer", "Lessons learned CLAS")],
    ),
    (
        "bde13.commander",
        "Erik",
        "Mulder",
        "BGEN",
        [("13 LBR", "commander", "Commandant 13 Lichte Brigade")],
    ),
    (
        "bde13.safety",
        "Lotte",
        "de Boer",
        "KAP",
        [("13 LBR", "safety_officer", "Veiligheidsfunctionaris 13 LBR")],
    ),
    (
        "bn.commander",
        "Thomas",
        "Peters",
        "LKOL",
        [("42 BLJ", "commander", "Commandant 42 BLJ / battlegroup eFP")],
    ),
    (
        "bn.safety",
        "Kim",
        "Hendriks",
        "AOO",
        [("42 BLJ", "safety_officer", "Veiligheidsfunctionaris 42 BLJ")],
    ),
    (
        "coy.commander",
        "Daan",
        "Willems",
        "KAP",
        [("B-CIE 42", "commander", "Commandant B-Cie 42 BLJ")],
    ),
    (
        "coy.leader",
        "Youssef",
        "El Amrani",
        "SGT1",
        [("B-CIE 42", "contributor", "Pelotonscommandant 2e peloton")],
    ),
    (
        "bde11.safety",
        "Noor",
        "Kramer",
        "KAP",
        [("11 LMB", "safety_officer", "Veiligheidsfunctionaris 11 LMB")],
    ),
    (
        "bde11.commander",
        "Bas",
        "Verhoeven",
        "BGEN",
        [("11 LMB", "commander", "Commandant 11 LMB")],
    ),
    (
        "bde43.safety",
        "Femke",
        "Dekker",
        "KAP",
        [("43 MECHBRIG", "safety_officer", "Veiligheidsfunctionaris 43 MECHBRIG")],
    ),
    ("ivd.inspector", "Anouk", "Vos", "LKOL", [("IVD", "auditor", "Inspecteur IVD")]),
    ("viewer", "Lars", "Koster", "SGT", [("13 LBR", "viewer", "Staffunctionaris S3")]),
]


def load(ctx: DemoContext) -> None:
    if Organisation.objects.filter(short_name="NLD JFC").exists():
        return
    orgs: dict[str, Organisation] = {}
    for short, name, kind, echelon, parent in ORGANISATIONS:
        orgs[short] = services.organisation_create(
            actor=None,
            name=name,
            short_name=short,
            kind=kind,
            echelon=echelon,
            parent=orgs[parent] if parent else None,
        )
    for username, first, last, rank, roles in PEOPLE:
        user = services.user_create(
            actor=None,
            username=username,
            password=None,
            first_name=first,
            last_name=last,
            rank=rank,
            email=f"{username}@mil.example",
        )
        _set_demo_password(user)
        for short, role, title in roles:
            services.membership_create(
                actor=None,
                user=user,
                organisation=orgs[short],
                role=role,
                title=title,
            )
    # An acting commander of B-company while the commander is on leave next month.
    services.membership_create(
        actor=None,
        user=User.objects.get(username="coy.leader"),
        organisation=orgs["B-CIE 42"],
        role="commander",
        title="Plv. commandant B-Cie (waarnemend)",
        valid_from=ctx.days(30),
        valid_until=ctx.days(44),
    )
    admin = User.objects.create_superuser(
        "admin", "admin@mil.example", DEMO_PASSWORD, first_name="Beheer"
    )
    services.membership_create(
        actor=None, user=admin, organisation=orgs["DS"], role="administrator"
    )
    ctx.say(f"{len(orgs)} organisations, {len(PEOPLE) + 1} people")


def _set_demo_password(user: Any) -> None:
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
