"""What ships: the mission-safety process steps, the default RACI per party role,
and the standard evaluation moments with their methods (DESIGN.md section 3).

Used by a data migration (so every installation has them) and by tests.
"""

from __future__ import annotations

from typing import Any

ALL = [
    "planning",
    "preparation",
    "readiness",
    "deployed",
    "redeployment",
    "post_deployment",
]
BEFORE = ["planning", "preparation", "readiness"]
DURING = ["deployed", "redeployment"]

# code, nl, en, ISO 31000 stage, risk-management step, phases
PROCESS_STEPS: list[tuple[str, str, str, str, int, list[str]]] = [
    (
        "context",
        "Context en criteria vaststellen",
        "Establish context and criteria",
        "context",
        1,
        ["planning", "preparation"],
    ),
    (
        "identify",
        "Gevaren identificeren",
        "Identify hazards",
        "identification",
        1,
        ALL[:5],
    ),
    ("assess", "Risico's beoordelen", "Assess risks", "analysis", 2, ALL[:5]),
    (
        "controls",
        "Beheersmaatregelen ontwikkelen",
        "Develop controls",
        "treatment",
        3,
        ALL[:5],
    ),
    (
        "decide",
        "Besluiten over risico (aanvaarden/opschalen)",
        "Decide on risk (accept/escalate)",
        "evaluation",
        3,
        ALL[:5],
    ),
    (
        "implement",
        "Beheersmaatregelen uitvoeren",
        "Implement controls",
        "treatment",
        4,
        ALL[1:5],
    ),
    (
        "supervise",
        "Toezien en herbeoordelen",
        "Supervise and review",
        "monitoring",
        5,
        ALL[1:5],
    ),
    (
        "occurrences",
        "Voorvallen melden en onderzoeken",
        "Report and investigate occurrences",
        "recording",
        5,
        ALL,
    ),
    ("evaluate", "Evalueren", "Evaluate", "monitoring", 5, ALL),
    (
        "lessons",
        "Lessen vastleggen en delen",
        "Capture and share lessons",
        "communication",
        5,
        ALL,
    ),
]

OC, FP, PB, DU, SUP = (
    "operational_command",
    "force_provider",
    "parent_brigade",
    "deployed_unit",
    "supporting",
)

# Default RACI per step and party role, with a short Dutch / English task text.
# Exactly one role is A per step; fallbacks apply when a role is not a party.
DEFAULT_MATRIX: dict[str, dict[str, tuple[str, str, str]]] = {
    "context": {
        OC: (
            "A",
            "Stelt opdracht, context en risicocriteria vast.",
            "Sets the mission, context and risk criteria.",
        ),
        FP: (
            "R",
            "Levert kaders gereedstelling en normen.",
            "Provides preparation frameworks and standards.",
        ),
        PB: (
            "R",
            "Vertaalt context naar de gereedstelling van de eenheid.",
            "Translates the context into the unit's preparation.",
        ),
        DU: (
            "C",
            "Brengt kennis van eigen taken en middelen in.",
            "Contributes knowledge of its tasks and means.",
        ),
        SUP: ("I", "Wordt geïnformeerd.", "Is informed."),
    },
    "identify": {
        OC: (
            "C",
            "Levert dreigings- en inzetgebiedsinformatie.",
            "Provides threat and theatre information.",
        ),
        FP: (
            "C",
            "Levert lessen en gevaren uit eerdere inzetten.",
            "Provides lessons and hazards of earlier deployments.",
        ),
        PB: (
            "A",
            "Zorgt voor een volledig register in de gereedstelling.",
            "Ensures a complete register during preparation.",
        ),
        DU: (
            "R",
            "Identificeert gevaren van eigen activiteiten.",
            "Identifies the hazards of its own activities.",
        ),
        SUP: (
            "C",
            "Meldt gevaren van eigen ondersteuning.",
            "Reports the hazards of its support.",
        ),
    },
    "assess": {
        OC: (
            "C",
            "Toetst beoordelingen in de inzetfase.",
            "Reviews assessments in the deployed phases.",
        ),
        FP: (
            "C",
            "Adviseert over materieel en opleiding.",
            "Advises on materiel and training.",
        ),
        PB: (
            "A",
            "Borgt beoordeling met de vastgestelde matrix.",
            "Ensures assessment with the agreed matrix.",
        ),
        DU: (
            "R",
            "Beoordeelt kans en ernst, voor en na maatregelen.",
            "Assesses probability and severity, before and after controls.",
        ),
        SUP: ("I", "Wordt geïnformeerd.", "Is informed."),
    },
    "controls": {
        OC: (
            "C",
            "Adviseert over operationele maatregelen.",
            "Advises on operational controls.",
        ),
        FP: (
            "R",
            "Levert materieel, opleiding en voorschriften.",
            "Provides materiel, training and regulations.",
        ),
        PB: (
            "A",
            "Stelt het maatregelenpakket vast in de gereedstelling.",
            "Approves the set of controls during preparation.",
        ),
        DU: (
            "R",
            "Ontwikkelt maatregelen voor eigen activiteiten.",
            "Develops controls for its own activities.",
        ),
        SUP: (
            "C",
            "Draagt ondersteunende maatregelen aan.",
            "Proposes supporting controls.",
        ),
    },
    "decide": {
        OC: (
            "A",
            "Aanvaardt restrisico in de inzetfase volgens het mandaat; eindverantwoordelijk.",
            "Accepts residual risk in the deployed phases per the mandate; accountable.",
        ),
        FP: (
            "R",
            "C-LAS aanvaardt extreem hoog restrisico in de gereedstelling.",
            "C-LAS accepts extremely high residual risk during preparation.",
        ),
        PB: (
            "R",
            "Brigadecommandant aanvaardt hoog restrisico in de gereedstelling.",
            "Brigade commander accepts high residual risk during preparation.",
        ),
        DU: (
            "C",
            "Aanvaardt laag en midden restrisico binnen mandaat; schaalt op.",
            "Accepts low and medium residual risk within mandate; escalates.",
        ),
        SUP: (
            "C",
            "Wordt geraadpleegd over eigen maatregelen.",
            "Is consulted on its own controls.",
        ),
    },
    "implement": {
        OC: (
            "I",
            "Wordt geïnformeerd over de uitvoering.",
            "Is informed of implementation.",
        ),
        FP: (
            "R",
            "Voert maatregelen uit die de krijgsmachtdeel levert.",
            "Implements the controls the army provides.",
        ),
        PB: (
            "C",
            "Ondersteunt de uitvoering in de gereedstelling.",
            "Supports implementation during preparation.",
        ),
        DU: (
            "A",
            "Voert maatregelen uit en meldt de status.",
            "Implements controls and reports their status.",
        ),
        SUP: (
            "R",
            "Voert eigen ondersteunende maatregelen uit.",
            "Implements its own supporting controls.",
        ),
    },
    "supervise": {
        OC: (
            "A",
            "Houdt toezicht op het risicobeeld in de inzet.",
            "Supervises the risk picture during deployment.",
        ),
        FP: ("I", "Wordt geïnformeerd.", "Is informed."),
        PB: (
            "C",
            "Wordt geraadpleegd bij herbeoordeling.",
            "Is consulted on reassessment.",
        ),
        DU: (
            "R",
            "Herbeoordeelt maandelijks en bij gewijzigde omstandigheden.",
            "Reassesses monthly and when circumstances change.",
        ),
        SUP: ("I", "Wordt geïnformeerd.", "Is informed."),
    },
    "occurrences": {
        OC: (
            "A",
            "Bepaalt het onderzoeksniveau; meldt aan de IVD.",
            "Decides the investigation level; reports to the IVD.",
        ),
        FP: ("I", "Wordt geïnformeerd over voorvallen.", "Is informed of occurrences."),
        PB: ("I", "Wordt geïnformeerd over voorvallen.", "Is informed of occurrences."),
        DU: (
            "R",
            "Meldt voorvallen direct en neemt eerste maatregelen.",
            "Reports occurrences at once and takes first actions.",
        ),
        SUP: (
            "R",
            "Meldt voorvallen in eigen ondersteuning.",
            "Reports occurrences in its support.",
        ),
    },
    "evaluate": {
        OC: (
            "A",
            "Belegt de gezamenlijke evaluatiemomenten.",
            "Convenes the joint evaluation moments.",
        ),
        FP: (
            "C",
            "Neemt deel aan de gezamenlijke evaluaties.",
            "Takes part in the joint evaluations.",
        ),
        PB: (
            "R",
            "Evalueert de gereedstelling en de terugkeer.",
            "Evaluates preparation and return.",
        ),
        DU: ("R", "Houdt hot washes en AAR's.", "Holds hot washes and AARs."),
        SUP: ("C", "Neemt deel aan evaluaties.", "Takes part in evaluations."),
    },
    "lessons": {
        OC: (
            "R",
            "Verwerkt lessen in opdrachten en SOP's.",
            "Builds lessons into orders and SOPs.",
        ),
        FP: (
            "A",
            "Beheert de lessen en borgt validatie.",
            "Manages lessons and ensures validation.",
        ),
        PB: (
            "R",
            "Draagt lessen over aan de volgende rotatie.",
            "Hands lessons over to the next rotation.",
        ),
        DU: ("R", "Legt waarnemingen vast (ODCR).", "Records observations (ODCR)."),
        SUP: ("C", "Levert waarnemingen aan.", "Contributes observations."),
    },
}

# Who takes the A when the default role is not a party.
ACCOUNTABLE_FALLBACK = [OC, PB, FP, DU, SUP]
RESPONSIBLE_FALLBACK = [DU, PB, FP, OC, SUP]


def _q(key: str, nl: str, en: str, required: bool = True) -> dict[str, Any]:
    return {"key": key, "label": {"nl": nl, "en": en}, "required": required}


AAR_QUESTIONS = [
    _q("planned", "Wat was de bedoeling?", "What was supposed to happen?"),
    _q("happened", "Wat gebeurde er?", "What happened?"),
    _q("why", "Waarom was er verschil?", "Why was there a difference?"),
    _q(
        "next_time",
        "Wat doen we volgende keer anders?",
        "What do we do differently next time?",
    ),
]
JOINT = [OC, FP, PB, DU]

# code, nl, en, method nl, method en, phase, trigger, anchor, offset, interval,
# due within, is gate, form
TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "kickoff",
        "name_nl": "Gezamenlijke risico-kick-off",
        "name_en": "Joint risk kick-off",
        "method_nl": "Workshop context en criteria met alle partijen; samenwerkingsafspraken ondertekend; lessen van eerdere rotaties besproken en vastgelegd.",
        "method_en": "Context and criteria workshop with all parties; agreement signed; lessons of earlier rotations reviewed and recorded.",
        "phase": "planning",
        "trigger": "date",
        "anchor": "deployment_start",
        "offset_days": -150,
        "form": {
            "questions": [
                _q("context", "Context en risicocriteria", "Context and risk criteria"),
                _q(
                    "lessons",
                    "Welke lessen van eerdere rotaties zijn besproken?",
                    "Which lessons of earlier rotations were reviewed?",
                ),
                _q(
                    "agreements",
                    "Afspraken en open punten",
                    "Agreements and open points",
                    False,
                ),
            ],
            "participants": JOINT,
        },
    },
    {
        "code": "aar",
        "name_nl": "After action review na oefening",
        "name_en": "After action review after an exercise",
        "method_nl": "De vier vragen: wat was de bedoeling, wat gebeurde er, waarom het verschil, wat doen we anders.",
        "method_en": "The four questions: what was supposed to happen, what happened, why the difference, what to do differently.",
        "phase": "preparation",
        "trigger": "on_demand",
        "due_within_days": 7,
        "form": {"questions": AAR_QUESTIONS, "participants": [DU]},
    },
    {
        "code": "pre_departure_gate",
        "name_nl": "Veiligheidspoort voor vertrek",
        "name_en": "Pre-departure safety gate",
        "method_nl": "Gezamenlijke board: register volledig, aanvaardingen op het juiste niveau en geldig, maatregelen gereed; expliciet go / no-go.",
        "method_en": "Joint board: register complete, acceptances at the right level and valid, controls done; explicit go / no-go.",
        "phase": "readiness",
        "trigger": "date",
        "anchor": "deployment_start",
        "offset_days": -14,
        "is_gate": True,
        "form": {
            "questions": [
                _q(
                    "board",
                    "Samenstelling en verloop van de board",
                    "Composition and course of the board",
                ),
                _q(
                    "conditions",
                    "Voorwaarden bij het besluit",
                    "Conditions attached to the decision",
                    False,
                ),
            ],
            "participants": JOINT,
        },
    },
    {
        "code": "toa_handover",
        "name_nl": "Overdracht bij transfer of authority",
        "name_en": "Transfer of authority hand-over",
        "method_nl": "Overdracht van register, open maatregelen en lessen aan de volgende rotatie.",
        "method_en": "Hand-over of register, open controls and lessons between rotations.",
        "phase": "deployed",
        "trigger": "date",
        "anchor": "deployment_start",
        "offset_days": 7,
        "form": {
            "questions": [
                _q(
                    "register",
                    "Register overgedragen (open risico's)",
                    "Register handed over (open risks)",
                ),
                _q(
                    "controls",
                    "Open beheersmaatregelen en eigenaren",
                    "Open controls and their owners",
                ),
                _q("lessons", "Overgedragen lessen", "Lessons handed over"),
            ],
            "participants": [OC, PB, DU],
        },
    },
    {
        "code": "periodic_review",
        "name_nl": "Periodieke veiligheidsreview",
        "name_en": "Periodic safety review",
        "method_nl": "Maandelijkse herbeoordeling van de risico's en trends in voorvallen.",
        "method_en": "Monthly reassessment of risks; occurrence trends.",
        "phase": "deployed",
        "trigger": "periodic",
        "interval_days": 30,
        "form": {
            "questions": [
                _q(
                    "reassessment",
                    "Welke risico's zijn herbeoordeeld?",
                    "Which risks were reassessed?",
                ),
                _q("trends", "Trends in voorvallen", "Occurrence trends"),
                _q("remarks", "Overige opmerkingen", "Other remarks", False),
            ],
            "participants": [OC, DU],
        },
    },
    {
        "code": "hot_wash",
        "name_nl": "Hot wash na ernstig voorval",
        "name_en": "Hot wash after a serious occurrence",
        "method_nl": "Korte nabespreking binnen 72 uur, daarna een AAR.",
        "method_en": "Short debrief within 72 hours, then an AAR.",
        "phase": "deployed",
        "trigger": "occurrence",
        "due_within_days": 3,
        "form": {
            "questions": [
                _q("happened", "Wat gebeurde er?", "What happened?"),
                _q(
                    "immediate",
                    "Welke directe maatregelen zijn genomen?",
                    "Which immediate actions were taken?",
                ),
                _q("follow_up", "Wat moet er nu gebeuren?", "What must happen now?"),
            ],
            "participants": [DU],
        },
    },
    {
        "code": "mid_tour",
        "name_nl": "Gezamenlijke mid-tour-evaluatie",
        "name_en": "Mid-tour joint evaluation",
        "method_nl": "Evaluatie met alle drie de partijen halverwege de inzet.",
        "method_en": "Evaluation with all three parties halfway through the tour.",
        "phase": "deployed",
        "trigger": "date",
        "anchor": "deployment_mid",
        "offset_days": 0,
        "form": {"questions": AAR_QUESTIONS, "participants": JOINT},
    },
    {
        "code": "end_of_tour",
        "name_nl": "Eindevaluatie (AAR) en risicobeoordeling herontplooiing",
        "name_en": "End-of-tour AAR and redeployment risk assessment",
        "method_nl": "AAR over de hele inzet en beoordeling van de risico's van herontplooiing, inclusief terugvoer van munitie en materieel.",
        "method_en": "AAR of the whole tour and assessment of redeployment risks, including return of ammunition and materiel.",
        "phase": "redeployment",
        "trigger": "date",
        "anchor": "deployment_end",
        "offset_days": -7,
        "form": {
            "questions": [
                *AAR_QUESTIONS,
                _q(
                    "redeployment",
                    "Risico's van herontplooiing (munitie, materieel)",
                    "Redeployment risks (ammunition, materiel)",
                ),
            ],
            "participants": JOINT,
        },
    },
    {
        "code": "cold_evaluation",
        "name_nl": "Gezamenlijke koude evaluatie",
        "name_en": "Post-deployment cold evaluation",
        "method_nl": "Binnen 3 maanden na terugkeer: lessen consolideren en acties beleggen.",
        "method_en": "Within 3 months of return: consolidate lessons and task actions.",
        "phase": "post_deployment",
        "trigger": "date",
        "anchor": "deployment_end",
        "offset_days": 90,
        "form": {
            "questions": [
                _q("lessons", "Geconsolideerde lessen", "Consolidated lessons"),
                _q(
                    "actions",
                    "Belegde acties en actiehouders",
                    "Actions tasked and their owners",
                ),
            ],
            "participants": JOINT,
        },
    },
    {
        "code": "validation_check",
        "name_nl": "Validatiecheck na zes maanden",
        "name_en": "Six-month validation check",
        "method_nl": "Controle of herstelacties zijn uitgevoerd en gevalideerd.",
        "method_en": "Check that remedial actions were implemented and validated.",
        "phase": "post_deployment",
        "trigger": "date",
        "anchor": "deployment_end",
        "offset_days": 180,
        "form": {
            "questions": [
                _q(
                    "validated",
                    "Welke acties zijn gevalideerd?",
                    "Which actions were validated?",
                ),
                _q(
                    "open",
                    "Wat staat nog open en waarom?",
                    "What is still open, and why?",
                ),
            ],
            "participants": [FP, PB],
        },
    },
]


def install(apps: Any) -> None:
    """Create the shipped process steps and evaluation templates if missing."""
    ProcessStep = apps.get_model("evaluations", "ProcessStep")
    EvaluationTemplate = apps.get_model("evaluations", "EvaluationTemplate")
    for order, (code, nl, en, iso, step, phases) in enumerate(PROCESS_STEPS, 1):
        ProcessStep.objects.get_or_create(
            code=code,
            defaults={
                "order": order * 10,
                "name_nl": nl,
                "name_en": en,
                "iso_stage": iso,
                "rm_step": step,
                "phases": phases,
            },
        )
    for order, spec in enumerate(TEMPLATES, 1):
        EvaluationTemplate.objects.get_or_create(
            code=spec["code"],
            defaults={
                "order": order * 10,
                **{k: v for k, v in spec.items() if k != "code"},
            },
        )


def shipped_texts() -> list[tuple[str, str]]:
    """(Dutch, English) of every text the defaults write into rows: agreement
    task texts and evaluation moment names (see ``core.i18n.shipped_text``)."""
    pairs = [
        (nl, en)
        for cells in DEFAULT_MATRIX.values()
        for _raci, nl, en in cells.values()
    ]
    pairs += [(t["name_nl"], t["name_en"]) for t in TEMPLATES]
    return pairs
