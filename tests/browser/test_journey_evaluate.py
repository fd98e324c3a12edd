"""Evaluate: the parties hold a standard evaluation moment with its method; a
finding becomes an action for a party and an observation for the lessons."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_parties_hold_a_periodic_review_and_act_on_a_finding(
    page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    from missionsafety.evaluations.models import Evaluation

    w = live_world
    review = (
        Evaluation.objects.filter(
            deployment=w.dep, status="scheduled", phase="deployed"
        )
        .exclude(template__is_gate=True)
        .order_by("due_date")
        .first()
    )
    login(page, "jfc.safety")
    page.goto(f"{live_server.url}/deployments/{w.dep.pk}/")
    page.locator("main").get_by_role("link", name="Evaluaties", exact=True).click()
    page.get_by_role("link", name=review.title).first.click()
    method = page.locator("main section.card", has_text="Methode").inner_text()
    assert review.template.method[:40] in method
    assert "_" not in method  # party roles in words, not codes

    page.get_by_role("link", name="Vastleggen als gehouden").click()
    page.fill("#id_held_on", timezone.localdate().isoformat())
    for box in page.locator("main input[type=checkbox]").all():
        box.check()
    for answer in page.locator("main textarea:not(#id_findings)").all():
        answer.fill("Besproken; geen bijzonderheden.")
    page.fill("#id_findings", "Strooiroute afspreken met gastland")
    page.get_by_role("button", name="Vastleggen als gehouden").click()
    main = page.locator("main").inner_text()
    assert "Strooiroute afspreken met gastland" in main

    # The finding becomes an action for a party …
    page.get_by_role("link", name="Maak er een actie van").click()
    page.fill("#id_description", "Strooiroute vastleggen met de gastlandpolitie")
    page.select_option("#id_owner_party", str(w.party_bn.pk))
    page.select_option("#id_owner", str(w.bn_commander.pk))
    due = timezone.localdate() + datetime.timedelta(days=14)
    page.fill("#id_due_date", due.isoformat())
    page.locator("main button[type=submit]").click()
    assert (
        "Strooiroute vastleggen met de gastlandpolitie"
        in page.locator("main").inner_text()
    )

    # … and an observation for the lessons, prefilled from the evaluation.
    page.get_by_role("link", name="Maak er een waarneming van").click()
    assert page.input_value("#id_title") == "Strooiroute afspreken met gastland"
    page.fill("#id_observation", "Geen afspraken met het gastland over strooien.")
    page.locator("main button[type=submit]").click()
    assert "Strooiroute afspreken met gastland" in page.locator("h1").inner_text()
    assert "evaluatie" in page.locator("main").inner_text()
