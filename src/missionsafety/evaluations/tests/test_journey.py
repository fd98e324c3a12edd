"""The whole journey through the pages: set up, sign, calendar, hold, gate."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from icalendar import Calendar

from missionsafety.evaluations.models import Agreement, Evaluation, ProcessStep
from missionsafety.evaluations.tests.helpers import (
    accept,
    high_risk,
    party,
    readiness_deployment,
    set_contacts,
)


def test_agreement_signing_calendar_review_and_gate(
    world: Any, client_for: Any
) -> None:
    dep = readiness_deployment(world)
    set_contacts(world, dep)
    safety = client_for(world.jfc_safety)
    base = {"deployment_pk": dep.pk}

    # jfc.safety sets up the agreement and adjusts one cell.
    page = safety.get(reverse("evaluations:agreement", kwargs=base))
    assert "Set up from the default" in page.content.decode() or page.status_code == 200
    safety.post(reverse("evaluations:agreement_setup", kwargs=base))
    agreement = Agreement.objects.get(deployment=dep)
    edit = safety.get(reverse("evaluations:agreement_edit", kwargs=base))
    form = edit.context["form"]
    data = {n: f.initial or "" for n, f in form.fields.items()}
    data["version"] = 1
    lessons = ProcessStep.objects.get(code="lessons").pk
    data[f"tasks_{lessons}_{party(dep, world.bde13).pk}"] = "Draagt lessen over aan R14"
    bad = {**data, f"raci_{lessons}_{party(dep, world.bn).pk}": "A"}
    response = safety.post(reverse("evaluations:agreement_edit", kwargs=base), bad)
    assert response.status_code == 422
    assert "Draagt lessen over aan R14" in response.content.decode()  # kept
    response = safety.post(reverse("evaluations:agreement_edit", kwargs=base), data)
    assert response.status_code == 302
    safety.post(reverse("evaluations:agreement_submit", kwargs=base))
    agreement.refresh_from_db()
    assert agreement.status == "in_signature"

    # The commanders sign, each for their own party; the page shows who is left.
    for commander, org in [
        (world.jfc_commander, world.jfc),
        (world.clas_commander, world.clas),
        (world.bde13_commander, world.bde13),
    ]:
        client_for(commander).post(
            reverse("evaluations:agreement_sign", kwargs=base),
            {"party": party(dep, org).pk, "number": 1},
        )
    page = safety.get(reverse("evaluations:agreement", kwargs=base)).content.decode()
    assert page.count("not signed yet") + page.count("nog niet ondertekend") == 1
    client_for(world.bde13_commander).post(
        reverse("evaluations:agreement_sign", kwargs=base),
        {"party": party(dep, world.bn).pk, "number": 1},
    )
    agreement.refresh_from_db()
    assert agreement.status == "in_signature"  # not the brigade's to sign
    client_for(world.bn_commander).post(
        reverse("evaluations:agreement_sign", kwargs=base),
        {"party": party(dep, world.bn).pk, "number": 1},
    )
    agreement.refresh_from_db()
    assert agreement.status == "in_force"
    pdf = safety.get(reverse("evaluations:agreement_pdf", kwargs={**base, "number": 1}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"

    # The moments appear on the battalion's calendar.
    bn = client_for(world.bn_commander)
    response = bn.post(
        reverse("evaluations:calendar"), {"party": party(dep, world.bn).pk}
    )
    feed_url = response.context["new_url"]
    feed = client_for(world.bn_commander).get(feed_url.replace("http://testserver", ""))
    calendar = Calendar.from_ical(feed.content)
    titles = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert any(
        "EFP-R13" in t and ("Periodic" in t or "Periodieke" in t) for t in titles
    )

    # The gate blocks the move while a high risk has no valid acceptance.
    risk = high_risk(world, dep)
    gate = Evaluation.objects.get(deployment=dep, template__is_gate=True)
    hold = safety.get(reverse("evaluations:hold", kwargs={"pk": gate.pk}))
    assert "R-001" in hold.content.decode()
    post = {
        "version": gate.version,
        "held_on": world.today.isoformat(),
        "answer_board": "Board met alle partijen",
        "gate_decision": "go",
        "gate_rationale": "Go onder voorwaarde",
        **{f"party_{p.pk}": "on" for p in dep.parties.all()},
    }
    missing = {**post, "answer_board": ""}
    response = safety.post(reverse("evaluations:hold", kwargs={"pk": gate.pk}), missing)
    assert response.status_code == 422
    assert "Go onder voorwaarde" in response.content.decode()
    safety.post(reverse("evaluations:hold", kwargs={"pk": gate.pk}), post)
    gate.refresh_from_db()
    assert gate.gate_decision == "go"
    move = reverse("deployments:phase", kwargs={"pk": dep.pk})
    safety.post(move, {"to_phase": "deployed", "version": dep.version})
    dep.refresh_from_db()
    assert dep.phase == "readiness"
    gate_page = safety.get(reverse("evaluations:gate", kwargs=base)).content.decode()
    assert "R-001" in gate_page
    accept(world, risk)
    safety.post(move, {"to_phase": "deployed", "version": dep.version})
    dep.refresh_from_db()
    assert dep.phase == "deployed"


def test_periodic_review_held_jointly_and_a_finding_becomes_an_action(
    world: Any, client_for: Any
) -> None:
    review = Evaluation.objects.get(
        deployment=world.dep, template__code="periodic_review", slot=1
    )
    client = client_for(world.bn_commander)
    url = reverse("evaluations:hold", kwargs={"pk": review.pk})
    client.post(
        url,
        {
            "version": review.version,
            "held_on": world.today.isoformat(),
            f"party_{world.party_jfc.pk}": "on",
            f"names_{world.party_jfc.pk}": "MAJ Bakker (VTC)",
            f"party_{world.party_bn.pk}": "on",
            "answer_reassessment": "Verkeer op ijzel herbeoordeeld",
            "answer_trends": "Twee bijna-ongevallen",
            "findings": "Strooicapaciteit schiet tekort\nBuddy-check werkt goed",
        },
    )
    review.refresh_from_db()
    assert review.status == "held" and review.findings.count() == 2
    finding = review.findings.get(number=1)
    detail = client.get(reverse("evaluations:detail", kwargs={"pk": review.pk}))
    assert "MAJ Bakker (VTC)" in detail.content.decode()
    action_url = reverse("evaluations:finding_action", kwargs={"pk": finding.pk})
    response = client.post(
        action_url,
        {
            "description": "Strooiroute afspreken met gastland",
            "owner_party": world.party_bn.pk,
            "owner": world.bn_commander.pk,
            "due_date": (world.today + datetime.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    action = finding.actions.get()
    assert action.owner_party == world.party_bn
    detail = client.get(reverse("evaluations:detail", kwargs={"pk": review.pk}))
    assert "Strooiroute afspreken met gastland" in detail.content.decode()


def test_a_finding_offers_to_become_an_observation(world: Any, client_for: Any) -> None:
    review = Evaluation.objects.get(deployment=world.dep, template__is_gate=True)
    client = client_for(world.jfc_safety)
    client.post(
        reverse("evaluations:finding_add", kwargs={"pk": review.pk}),
        {"text": "Medische dekking onduidelijk"},
    )
    page = client.get(reverse("evaluations:detail", kwargs={"pk": review.pk}))
    html = page.content.decode()
    assert "/observations/new/?deployment=" in html
    assert "source=evaluation" in html and "evaluations.evaluation%3A" in html


def test_revoked_calendar_link_stops_working(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    response = client.post(
        reverse("evaluations:calendar"), {"party": world.party_bde13.pk}
    )
    url = response.context["new_url"].replace("http://testserver", "")
    assert client.get(url).status_code == 200
    token = world.bde13_safety.calendar_tokens.get()
    assert len(token.key_hash) == 64 and token.hint in url
    client.post(reverse("evaluations:calendar_revoke", kwargs={"pk": token.pk}))
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("api:evaluations_ics") + "?token=cal_nonsense").status_code
        == 404
    )
    # A party of another deployment cannot be subscribed to.
    response = client.post(
        reverse("evaluations:calendar"), {"party": world.other_party.pk}
    )
    assert response.status_code == 422
