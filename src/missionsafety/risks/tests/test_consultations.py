"""Consultation is a request with an answer: the parties the rule names are
asked, answer agree / with conditions / object, and an acceptance rests on
their answers (or a recorded consultation outside the system)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.core.exceptions import ConflictError, ValidationError
from missionsafety.feedback.models import Notification
from missionsafety.risks import services
from missionsafety.risks.models import Consultation, Decision, Risk
from missionsafety.risks.tests.factories import answerer, assess, consult, fresh
from missionsafety.risks.tests.factories import make_risk as _make_risk

H = ("C", "II")


def high(w: Any) -> Risk:
    """An H risk of the deployed 42 BLJ with a Staf CLAS control: NLD JFC
    decides; 13 LBR, Staf CLAS and (owner) Staf CLAS must be consulted."""
    risk = _make_risk(
        w,
        controls=[
            {"description": "Koeling", "kind": "engineer", "owner_party": w.party_clas}
        ],
    )
    assess(w, risk, residual=H)
    return fresh(risk)


def _accept(w: Any, risk: Risk, **kw: Any) -> Decision:
    risk = fresh(risk)
    return services.decision_accept(
        actor=w.jfc_commander, risk=risk, assessment=risk.current_assessment, **kw
    )


def test_request_asks_the_parties_the_rule_names_by_inbox_and_mail(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    w = world
    risk = high(w)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(w.bde13_safety).post(
            reverse("risks:consult", args=[risk.pk])
        )
    assert response.status_code == 302
    asked = {c.party.organisation.short_name for c in risk.consultations.all()}
    assert asked == {"13 LBR", "Staf CLAS"}
    inbox = Notification.objects.filter(kind="consultation_requested")
    assert {n.recipient for n in inbox} >= {w.clas_safety, w.clas_commander}
    assert w.bde13_safety not in {n.recipient for n in inbox}  # who asked
    assert any("clas.safety@mil.example" in m.to for m in mail.outbox)
    record = ChangeRecord.objects.for_object(risk).get(action="consultation_request")
    assert sorted((record.after or {})["parties"]) == ["13 LBR", "Staf CLAS"]


def test_acceptance_waits_for_the_answers_and_names_who_is_missing(
    world: Any,
) -> None:
    w = world
    risk = high(w)
    services.consultation_request(actor=w.bde13_safety, risk=risk)
    clas = risk.consultations.get(party=w.party_clas)
    services.consultation_answer(actor=w.clas_safety, consultation=clas, answer="agree")
    with pytest.raises(ValidationError) as exc:
        _accept(w, risk)
    message = exc.value.error_dict["consultation_note"][0].messages[0]
    # "... have not answered (rule): 13 LBR. ..." — only the missing party.
    assert message.split("): ")[1].split(".")[0] == "13 LBR"
    assert not Decision.objects.filter(risk=risk).exists()
    assert fresh(risk).status == Risk.Status.AWAITING_DECISION


def test_decision_records_the_answers_it_rests_on(world: Any, client_for: Any) -> None:
    w = world
    risk = high(w)
    consult(
        w,
        risk,
        answers={w.party_clas: ("agree_with_conditions", "Alleen met koeling")},
    )
    decision = _accept(w, risk, conditions="Koeling verplicht.")
    parties = {c.party.organisation.short_name for c in decision.consultations.all()}
    assert parties == {"13 LBR", "Staf CLAS"}
    record = {a["party"]: a for a in decision.consultation_record}
    assert record["Staf CLAS"]["answer"] == "agree_with_conditions"
    assert record["Staf CLAS"]["text"] == "Alleen met koeling"
    page = client_for(w.jfc_commander).get(reverse("risks:detail", args=[risk.pk]))
    assert "Alleen met koeling" in page.content.decode()


def test_objection_needs_a_rationale_that_answers_it(world: Any) -> None:
    w = world
    risk = high(w)
    consult(w, risk, answers={w.party_bde13: ("object", "Te weinig koeling")})
    with pytest.raises(ValidationError) as exc:
        _accept(w, risk, rationale="Aanvaard.")
    assert "13 LBR" in str(exc.value)
    assert "rationale" in exc.value.error_dict
    decision = _accept(
        w, risk, rationale="Bezwaar 13 LBR: extra koelcontainers geleverd."
    )
    objection = decision.consultations.get(party=w.party_bde13)
    assert objection.answer == "object"


def test_consultation_outside_the_system_is_recorded_by_the_decider(
    world: Any,
) -> None:
    w = world
    risk = high(w)
    with pytest.raises(ValidationError) as exc:
        _accept(w, risk, consultation_note="Telefonisch overleg met Staf CLAS.")
    assert "13 LBR" in str(exc.value)
    decision = _accept(
        w,
        risk,
        consultation_note="Telefonisch overleg met Staf CLAS (LKOL Visser) en "
        "13 LBR (KAP de Boer), 3 december, 10:00.",
    )
    assert "KAP de Boer" in decision.consultation_note
    consulted = {p.organisation.short_name for p in decision.parties_consulted.all()}
    assert consulted >= {"13 LBR", "Staf CLAS"}


def test_new_assessment_makes_answers_stale(world: Any, api_for: Any) -> None:
    w = world
    risk = high(w)
    asked = consult(w, risk)
    assess(w, fresh(risk), residual=H, reason="changed")
    with pytest.raises(ValidationError):
        _accept(w, risk)
    listed = api_for(w.jfc_commander).get(f"/api/v1/risks/{risk.pk}/consultations")
    assert listed.status_code == 200
    assert all(item["stale"] for item in listed.json())
    again = services.consultation_request(actor=w.bde13_safety, risk=fresh(risk))
    assert len(again) == len(asked)
    assert not any(c.is_stale for c in again)


def test_answer_to_a_superseded_assessment_is_refused(world: Any) -> None:
    w = world
    risk = high(w)
    services.consultation_request(actor=w.bde13_safety, risk=risk)
    assess(w, fresh(risk), residual=H, reason="changed")
    clas = risk.consultations.get(party=w.party_clas)
    with pytest.raises(ConflictError):
        services.consultation_answer(
            actor=w.clas_safety, consultation=clas, answer="agree"
        )
    clas.refresh_from_db()
    assert clas.answer == ""


def test_api_bad_input(world: Any, api_for: Any) -> None:
    w = world
    risk = high(w)
    safety = api_for(w.bde13_safety)
    url = f"/api/v1/risks/{risk.pk}/consultations"
    outside = safety.post(
        url, {"party_ids": [w.other_party.pk]}, content_type="application/json"
    )
    assert outside.status_code == 422
    assert "party_ids" in str(outside.json())
    assert not Consultation.objects.exists()

    asked = safety.post(url, {}, content_type="application/json")
    assert asked.status_code == 201
    again = safety.post(url, {}, content_type="application/json")
    assert again.status_code == 409
    assert Consultation.objects.count() == 2

    clas = Consultation.objects.get(party=w.party_clas)
    answer_url = f"/api/v1/consultations/{clas.pk}/answer"
    other_party = api_for(w.bde13_safety).post(
        answer_url, {"answer": "agree"}, content_type="application/json"
    )
    assert other_party.status_code == 403
    assert "Staf CLAS" in other_party.json()["detail"]
    no_text = api_for(w.clas_safety).post(
        answer_url, {"answer": "object"}, content_type="application/json"
    )
    assert no_text.status_code == 422
    assert "text" in str(no_text.json())
    clas.refresh_from_db()
    assert clas.answer == ""
    first = api_for(w.clas_safety).post(
        answer_url,
        {"answer": "object", "text": "Koeling ontbreekt"},
        content_type="application/json",
    )
    assert first.status_code == 200
    assert first.json()["answer"] == "object"
    assert first.json()["answer_text"] == "Koeling ontbreekt"
    twice = api_for(w.clas_commander).post(
        answer_url, {"answer": "agree"}, content_type="application/json"
    )
    assert twice.status_code == 409
    clas.refresh_from_db()
    assert clas.answer == "object"

    viewer = api_for(w.viewer).post(url, {}, content_type="application/json")
    assert viewer.status_code == 403
    outsider = api_for(w.bde43_safety)
    assert outsider.get(url).status_code == 404
    assert (
        outsider.post(
            answer_url, {"answer": "agree"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_api_acceptance_before_the_answers_is_422_with_the_parties(
    world: Any, api_for: Any
) -> None:
    w = world
    risk = high(w)
    response = api_for(w.jfc_commander).post(
        f"/api/v1/risks/{risk.pk}/decisions",
        {"outcome": "accept", "assessment_id": risk.current_assessment_id},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = str(response.json())
    assert "consultation_note" in body
    assert "13 LBR" in body and "Staf CLAS" in body
    noted = api_for(w.jfc_commander).post(
        f"/api/v1/risks/{risk.pk}/decisions",
        {
            "outcome": "accept",
            "assessment_id": risk.current_assessment_id,
            "consultation_note": "VTC met 13 LBR en Staf CLAS op 2 december.",
        },
        content_type="application/json",
    )
    assert noted.status_code == 201
    assert noted.json()["consultation_note"].startswith("VTC met 13 LBR")


def test_decision_form_preselects_nothing_and_shows_the_answers(
    world: Any, client_for: Any
) -> None:
    w = world
    risk = high(w)
    consult(w, risk, answers={w.party_clas: ("object", "Geen koeling")})
    page = client_for(w.jfc_commander).get(reverse("risks:detail", args=[risk.pk]))
    html = page.content.decode()
    form = html[html.index('action="' + reverse("risks:decide", args=[risk.pk])) :]
    form = form[: form.index("</form>")]
    assert "checked" not in form
    assert "Geen koeling" in html


def test_answer_page_for_the_party_and_refusal_for_another(
    world: Any, client_for: Any
) -> None:
    w = world
    risk = high(w)
    services.consultation_request(actor=w.bde13_safety, risk=risk)
    clas = risk.consultations.get(party=w.party_clas)
    url = reverse("risks:consultation", args=[clas.pk])
    page = client_for(w.clas_safety).get(url)
    assert page.status_code == 200
    assert 'name="answer"' in page.content.decode()
    assert 'name="answer"' not in client_for(w.bde13_safety).get(url).content.decode()
    refused = client_for(w.bde13_safety).post(url, {"answer": "agree"})
    assert refused.status_code == 403
    missing = client_for(w.clas_safety).post(
        url, {"answer": "agree_with_conditions", "text": ""}
    )
    assert missing.status_code == 422
    clas.refresh_from_db()
    assert clas.answer == ""
    done = client_for(w.clas_safety).post(
        url, {"answer": "agree_with_conditions", "text": "Met koeling"}
    )
    assert done.status_code == 302
    clas.refresh_from_db()
    assert (clas.answer, clas.answer_text, clas.answered_by) == (
        "agree_with_conditions",
        "Met koeling",
        w.clas_safety,
    )
    assert client_for(w.bde43_safety).get(url).status_code == 404


def test_answer_reaches_who_asked(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    w = world
    risk = high(w)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_request(actor=w.bde13_safety, risk=risk)
    clas = risk.consultations.get(party=w.party_clas)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_answer(
            actor=answerer(w, w.party_clas), consultation=clas, answer="agree"
        )
    note = Notification.objects.get(kind="consultation_answered")
    assert note.recipient == w.bde13_safety
    assert "Staf CLAS" in note.title


def test_decision_form_records_a_consultation_outside_the_system(
    world: Any, client_for: Any
) -> None:
    w = world
    risk = high(w)
    url = reverse("risks:decide", args=[risk.pk])
    jfc = client_for(w.jfc_commander)
    partial = {
        "outcome": "accept",
        "assessment": risk.current_assessment_id,
        "consultation_note": "Telefonisch met Staf CLAS, 1 december.",
        "rationale": "Aanvaardbaar.",
    }
    refused = jfc.post(url, partial)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "niet genoemd: 13 LBR" in html
    assert "Telefonisch met Staf CLAS, 1 december." in html  # nothing lost
    assert not Decision.objects.filter(risk=risk).exists()
    note = "Telefonisch met Staf CLAS en 13 LBR (KAP de Boer), 1 december."
    accepted = jfc.post(url, {**partial, "consultation_note": note})
    assert accepted.status_code == 302
    page = jfc.get(reverse("risks:detail", args=[risk.pk])).content.decode()
    assert "Buiten het systeem geraadpleegd:" in page
    assert "13 LBR (KAP de Boer)" in page
