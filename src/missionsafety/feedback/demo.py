"""Demo feedback threads between parties (fictional); inboxes fill themselves."""

from __future__ import annotations

from missionsafety.core.demo import DemoContext
from missionsafety.feedback import services
from missionsafety.feedback.models import Thread


def load(ctx: DemoContext) -> None:
    r12 = ctx.deployment("EFP-LTU-R12")
    if Thread.objects.filter(deployment=r12).exists():
        return
    parties = {
        p.organisation.short_name: p for p in r12.parties.select_related("organisation")
    }

    # jfc.safety asks Staf CLAS a question; clas.safety answers.
    question = services.thread_open(
        actor=ctx.user("jfc.safety"),
        deployment=r12,
        to_party=parties["Staf CLAS"],
        subject=r12,
        title="Levering winteruitrusting en sneeuwkettingen R12",
        body=(
            "Na het kantelen van de YPR bij Jonava: zijn de sneeuwkettingen voor alle "
            "wielvoertuigen van 42 BLJ geleverd? Graag voor de volgende "
            "periodieke veiligheidsreview."
        ),
        due_date=ctx.days(7),
    )
    services.thread_reply(
        actor=ctx.user("clas.safety"),
        thread=question,
        body=(
            "Geleverd voor 70% van de voertuigen; de rest volgt met de logistieke "
            "vlucht van volgende week. Tot dan geen verplaatsingen bij ijzel met "
            "voertuigen zonder kettingen."
        ),
    )

    # Feedback about the serious accident from the brigade to NLD JFC, open.
    from missionsafety.occurrences.models import Occurrence

    accident = Occurrence.objects.filter(deployment=r12, actual_category__gte=3).first()
    services.thread_open(
        actor=ctx.user("bde13.safety"),
        deployment=r12,
        to_party=parties["NLD JFC"],
        subject=accident or r12,
        kind=Thread.Kind.FEEDBACK,
        title="Rustregeling chauffeurs ook in operationele bevelen opnemen",
        body=(
            "De Commissie van Onderzoek wijst vermoeidheid aan als oorzaak. Wij "
            "stellen voor de rustregeling (max. 12 uur dienst voor rijden) op te nemen "
            "in de operationele bevelen van NLD JFC."
        ),
        due_date=ctx.days(14),
    )

    # An overdue question from the deployed unit to the brigade.
    overdue = services.thread_open(
        actor=ctx.user("bn.commander"),
        deployment=r12,
        to_party=parties["13 LBR"],
        subject=r12,
        title="Vervanging defecte nachtzichtkijkers",
        body="Vier nachtzichtkijkers zijn defect. Wanneer komt vervanging?",
        due_date=ctx.days(3),
    )
    Thread.objects.filter(pk=overdue.pk).update(due_date=ctx.days(-4))

    from missionsafety.feedback.reminders import remind_overdue_threads

    remind_overdue_threads(ctx.today)
    ctx.say("3 feedback threads")
