"""Consult, then decide: a brigade-level (H, preparation) acceptance. The
safety officer asks the parties the rule names; Staf CLAS and 13 LBR answer
from their inboxes; the brigade commander sees the answers and accepts — and
is refused, with the missing party named, when accepting before them."""

from __future__ import annotations

from typing import Any

import pytest

from missionsafety.deployments.models import Phase
from missionsafety.testing import walk
from tests.browser.journeys import next_rotation, risk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def answer_from_the_inbox(page: Any, answer: str, text: str = "") -> str:
    page.locator("a.inbox").click()
    page.get_by_role("link", name="om een standpunt").first.click()
    page.check(f"input[name=answer][value={answer}]")
    if text:
        page.fill("#id_text", text)
    page.get_by_role("button", name="Antwoord versturen").click()
    return str(page.locator("main").inner_text())


def test_consultation_journey(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    r13 = walk(next_rotation(w), w.bde13_safety, Phase.PREPARATION)
    winter = risk(
        w,
        "Bestuurders zonder winterrijervaring",
        deployment=r13,
        residual=("C", "II"),  # H: the brigade commander in preparation
        controls=[
            {
                "description": "Winterrijtraining voor alle bestuurders",
                "kind": "administrate",
                "owner_party": r13.parties.get(organisation=w.bde13),
            }
        ],
    )
    url = f"{live_server.url}/risks/{winter.pk}/"

    commander = new_page()
    login(commander, "bde13.commander")
    commander.goto(url)
    main = commander.locator("main").inner_text()
    assert "brigadecommandant" in main.lower()
    assert "nog niet gevraagd" in main
    # Nothing chosen for the commander.
    assert not commander.locator("input[name=outcome]:checked").count()
    commander.check("input[name=outcome][value=accept]")
    commander.fill("#id_rationale", "Aanvaardbaar na training.")
    commander.get_by_role("button", name="Besluit vastleggen").click()
    refused = commander.locator("#decision").inner_text()
    assert "Staf CLAS" in refused and "niet beantwoord" in refused

    safety = new_page()
    login(safety, "bde13.safety")
    safety.goto(url)
    safety.get_by_role("button", name="Raadpleging aanvragen").click()
    asked = safety.locator("main").inner_text()
    assert "Raadpleging gevraagd aan" in asked
    assert "13 LBR" in asked and "Staf CLAS" in asked

    clas = new_page()
    login(clas, "clas.safety")
    done = answer_from_the_inbox(
        clas, "agree_with_conditions", "Alleen na winterrijtraining in Noorwegen."
    )
    assert "Uw antwoord is vastgelegd" in done
    assert "akkoord onder voorwaarden" in done

    # 13 LBR's answer comes from its commander's inbox (the safety officer asked).
    answered = answer_from_the_inbox(commander, "agree")
    assert "Uw antwoord is vastgelegd" in answered

    commander.goto(url)
    consultation = commander.locator("#consultation").inner_text()
    assert "Alleen na winterrijtraining in Noorwegen." in consultation
    assert "akkoord" in consultation
    commander.check("input[name=outcome][value=accept]")
    commander.fill("#id_conditions", "Training afgerond voor vertrek.")
    commander.fill("#id_rationale", "Voorwaarde Staf CLAS overgenomen.")
    commander.get_by_role("button", name="Besluit vastleggen").click()
    decided = commander.locator("main").inner_text()
    assert "Besluit vastgelegd" in decided
    assert "Antwoord van Staf CLAS" in decided
