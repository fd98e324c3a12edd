"""The seams between apps: every page links on to what it is about."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.risks.tests.factories import assess, make_risk
from tests.browser.journeys import ask, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(world: Any) -> Any:
    risk = make_risk(world)
    assess(world, risk)
    occurrence = report(
        world, "Container te warm", risks=[risk], place="Rukla", potential_category=1
    )
    thread = ask(
        world, risk, "Koeling beschikbaar?", "Kan NLD JFC koelcontainers leveren?"
    )
    return risk, occurrence, thread


def test_risk_page_shows_its_occurrences_and_threads(
    world: Any, client_for: Any, linked: Any
) -> None:
    risk, occurrence, thread = linked
    html = client_for(world.bde13_commander).get(f"/risks/{risk.pk}/").content.decode()
    assert f'href="/occurrences/{occurrence.pk}/"' in html
    assert f'href="/threads/{thread.pk}/"' in html
    assert f"/threads/new/?subject=risks.risk:{risk.pk}" in html


def test_occurrence_and_thread_offer_an_observation(
    world: Any, client_for: Any, linked: Any
) -> None:
    risk, occurrence, thread = linked
    client = client_for(world.bde13_safety)
    html = client.get(f"/occurrences/{occurrence.pk}/").content.decode()
    assert f'href="/risks/{risk.pk}/"' in html
    assert (
        f"/observations/new/?deployment={world.dep.pk}&amp;source=occurrence"
        f"&amp;object=occurrences.occurrence:{occurrence.pk}&amp;title=Container"
    ) in html
    html = client.get(f"/threads/{thread.pk}/").content.decode()
    assert f"source=feedback&amp;object=feedback.thread:{thread.pk}" in html
    # The observation form takes the link and records where it came from.
    form = client.get(
        f"/observations/new/?deployment={world.dep.pk}&source=occurrence"
        f"&object=occurrences.occurrence:{occurrence.pk}&title=Container+te+warm"
    ).content.decode()
    assert 'value="Container te warm"' in form


def test_inspector_sees_no_buttons_that_write(
    world: Any, client_for: Any, linked: Any
) -> None:
    _risk, occurrence, thread = linked
    client = client_for(world.inspector)
    for url in (
        f"/occurrences/{occurrence.pk}/",
        f"/threads/{thread.pk}/",
        f"/deployments/{world.dep.pk}/",
    ):
        html = client.get(url).content.decode()
        assert "/observations/new/" not in html, url
        assert "/threads/new/" not in html, url


def test_new_risk_form_asks_for_lessons_as_one_types(
    world: Any, client_for: Any
) -> None:
    url = reverse("risks:create", kwargs={"deployment_pk": world.dep.pk})
    html = client_for(world.bde13_safety).get(url).content.decode()
    suggest = reverse("lessons:suggest", kwargs={"deployment_pk": world.dep.pk})
    assert f'hx-get="{suggest}"' in html
    assert 'hx-target="#lesson-suggestions"' in html
    assert 'id="lesson-suggestions"' in html


def test_header_links_every_section(world: Any, client_for: Any) -> None:
    html = client_for(world.bde13_safety).get("/").content.decode()
    assert '<link rel="icon" href="data:,">' in html
    for url in (
        reverse("evaluations:compliance"),
        reverse("evaluations:calendar"),
        reverse("feedback:threads"),
        reverse("feedback:inbox"),
        reverse("lessons:observation_list"),
        reverse("risks:awaiting"),
    ):
        assert f'href="{url}"' in html, url


def test_a_thread_can_be_about_an_observation_or_an_evaluation(
    world: Any, client_for: Any
) -> None:
    from missionsafety.evaluations.models import Evaluation
    from missionsafety.lessons import services as lesson_services

    observation = lesson_services.observation_submit(
        actor=world.coy_leader,
        deployment=world.dep,
        title="Koelcontainers te laat",
        observation="Pas na drie weken geleverd.",
    )
    evaluation = Evaluation.objects.filter(deployment=world.dep).first()
    client = client_for(world.bde13_safety)
    for page, subject in (
        (f"/observations/{observation.pk}/", f"lessons.observation:{observation.pk}"),
        (f"/evaluations/{evaluation.pk}/", f"evaluations.evaluation:{evaluation.pk}"),
    ):
        new = f"/deployments/{world.dep.pk}/threads/new/?subject={subject}"
        assert new in client.get(page).content.decode()
        response = client.post(
            new,
            {
                "subject": subject,
                "from_party": world.party_bde13.pk,
                "to_party": world.party_jfc.pk,
                "kind": "question",
                "title": "Graag uw oordeel",
                "body": "Wat vindt NLD JFC hiervan?",
            },
        )
        assert response.status_code == 302, response.content.decode()[-3000:]
        thread = client.get(response["Location"]).content.decode()
        assert f'href="{page}"' in thread  # the thread links back to its subject
