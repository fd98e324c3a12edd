"""Kept page panels: rendered once per version of what they show, never stale.

A kept panel's HTML is used again only while the deployments the page shows,
the changes outside any deployment, the day, the language and the reader's
session are the same (``core.panels``, ``deployments.versions``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missionsafety.deployments.versions import panel_version
from missionsafety.organisations import services as org_services
from missionsafety.risks.tests.factories import make_risk

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _keep_panels() -> Any:
    cache.clear()
    with override_settings(KEEP_PANELS=True):
        yield
    cache.clear()


def _get(client: Any, url: str) -> tuple[str, int]:
    """The page (without its per-request form tokens) and its queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    text = re.sub(
        r'(csrfmiddlewaretoken" value="|CSRFToken": ")[^"]+',
        r"\1",
        response.content.decode(),
    )
    return text, len(queries)


def _trends(text: str) -> str:
    return text.split('id="trends"')[1].split("</section>")[0]


def _english(client: Any) -> Any:
    client.cookies.load({"missionsafety_language": "en"})
    return client


def test_a_deployment_page_is_rendered_again_only_when_the_deployment_changed(
    world: Any, client_for: Any
) -> None:
    client = _english(client_for(world.bde13_safety))
    url = reverse("deployments:detail", args=[world.dep.pk])
    first, cold = _get(client, url)
    again, warm = _get(client, url)
    assert again == first
    assert warm < cold - 8  # the kept panels' queries are not asked again
    assert "No open risks in these weeks." in _trends(first)
    # The keys name the reader's session only hashed.
    session = client.session.session_key
    assert session and not any(session in key for key in cache._cache)  # type: ignore[attr-defined]
    assert any(":panel:" in key for key in cache._cache)  # type: ignore[attr-defined]

    # A change in another deployment: this page's panels still hold.
    make_risk(
        world,
        title="Elders",
        deployment=world.other,
        actor=world.bde43_safety,
        owner_party=world.other_party,
    )
    assert _get(client, url)[1] == warm

    # A change in this deployment shows at once.
    make_risk(world, title="Munitieopslag")
    text, count = _get(client, url)
    assert "not assessed" in _trends(text)
    assert "No open risks in these weeks." not in _trends(text)
    assert count > warm


def test_each_reader_gets_panels_made_for_them_and_their_language(
    world: Any, client_for: Any
) -> None:
    url = reverse("deployments:detail", args=[world.dep.pk])
    officer = _english(client_for(world.bde13_safety))
    assert "Ask a party" in _get(officer, url)[0]
    # The viewer changes nothing: no button, though the officer's panel is kept.
    viewer = _english(client_for(world.viewer))
    assert "Ask a party" not in _get(viewer, url)[0]
    officer.cookies.load({"missionsafety_language": "nl"})
    text = _get(officer, url)[0]
    assert "Open risico’s per restrisiconiveau" in _trends(text)
    assert "Open risks per residual level" not in text


def test_the_overview_follows_a_change_in_any_deployment_in_view(
    world: Any, client_for: Any
) -> None:
    client = _english(client_for(world.jfc_safety))
    url = reverse("reports:dashboard")
    first, cold = _get(client, url)
    assert "No open risks in these weeks." in _trends(first)
    assert _get(client, url)[1] < cold
    make_risk(world, title="Munitieopslag")
    assert "not assessed" in _trends(_get(client, url)[0])


def test_a_change_outside_any_deployment_changes_every_version(world: Any) -> None:
    request = RequestFactory().get("/")
    request.user = world.bde13_safety
    request.session = type("S", (), {"session_key": "abc"})()
    before = panel_version("deployment", request, world.dep)
    assert panel_version("deployment", request, world.dep) == before
    admin = get_user_model().objects.create_superuser("root", "r@example.org", "x")
    org_services.organisation_update(
        actor=admin, organisation=world.bde13, version=world.bde13.version, name="13e"
    )
    assert panel_version("deployment", request, world.dep) != before
    # Without a session (an API client) nothing is kept.
    request.session = type("S", (), {"session_key": None})()
    assert panel_version("deployment", request, world.dep) is None


def test_nothing_is_kept_when_switched_off(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    url = reverse("deployments:detail", args=[world.dep.pk])
    with override_settings(KEEP_PANELS=False):
        _get(client, url)  # the session's and content types' first reads
        every_time = _get(client, url)[1]
        assert _get(client, url)[1] == every_time
    assert _get(client, url)[1] > every_time  # kept: the first time, more
    assert _get(client, url)[1] < every_time - 8


# -- kept pages (core.kept) ---------------------------------------------------


def test_the_register_is_kept_until_its_deployment_changes(
    world: Any, client_for: Any
) -> None:
    make_risk(world, title="Munitieopslag")
    client = client_for(world.bde13_safety)
    url = reverse("risks:register", args=[world.dep.pk])
    first, cold = _get(client, url)
    again, warm = _get(client, url)
    assert again == first and "Munitieopslag" in first
    assert warm < cold
    # Another query string is another page; an HTMX request gets its part.
    filtered = client.get(url, {"q": "Munitie"}, HTTP_HX_REQUEST="true")
    assert "Munitieopslag" in filtered.content.decode()
    assert "<html" not in filtered.content.decode()
    assert (
        "<html"
        not in client.get(
            url, {"q": "Munitie"}, HTTP_HX_REQUEST="true"
        ).content.decode()
    )
    make_risk(world, title="Konvooi bij nacht")
    assert "Konvooi bij nacht" in _get(client, url)[0]
    assert "Konvooi bij nacht" in (
        client.get(url, {"q": "nacht"}, HTTP_HX_REQUEST="true").content.decode()
    )


def test_a_kept_risk_page_still_shows_the_messages_of_the_moment(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world, title="Munitieopslag")
    client = _english(client_for(world.bde13_safety))
    url = reverse("risks:detail", args=[risk.pk])
    _get(client, url)
    _get(client, url)  # kept now
    # A move the risk cannot make: nothing changes, the refusal is shown.
    response = client.post(
        reverse("risks:status", args=[risk.pk]), {"to_status": "accepted"}, follow=True
    )
    text = response.content.decode()
    assert 'class="messages"' in text and "Munitieopslag" in text
    assert 'class="messages"' not in _get(client, url)[0]  # shown once


def test_awaiting_my_decision_follows_a_risk_put_to_a_decision(
    world: Any, client_for: Any
) -> None:
    from missionsafety.risks.tests.factories import assess

    client = _english(client_for(world.jfc_commander))
    url = reverse("risks:awaiting")
    before = _get(client, url)[0]
    assert "Munitieopslag" not in before
    assert _get(client, url)[0] == before
    risk = make_risk(world, title="Munitieopslag")
    assess(world, risk, residual=("C", "I"))  # high: NLD JFC decides
    assert "Munitieopslag" in _get(client, url)[0]


def test_kept_search_results_and_home_follow_what_is_new(
    world: Any, client_for: Any
) -> None:
    from missionsafety.deployments import services as dep_services
    from missionsafety.deployments.models import Party
    from missionsafety.lessons import services as lesson_services

    client = client_for(world.bde13_safety)
    search = reverse("lessons:search") + "?q=insuline"
    assert "Insuline te warm" not in _get(client, search)[0]
    assert "Insuline te warm" not in _get(client, search)[0]  # kept
    lesson_services.observation_submit(
        actor=world.coy_leader,
        deployment=world.dep,
        title="Insuline te warm",
        observation="Insuline werd te warm bewaard in de post.",
        source="review",
        discussion="d",
        conclusion="c",
        recommendation="r",
    )
    assert "Insuline te warm" in _get(client, search)[0]

    home = reverse("home")
    assert "UNIFIL-9" not in _get(client, home)[0]
    _get(client, home)  # kept
    dep_services.deployment_create(
        actor=world.jfc_safety,
        name="UNIFIL rotatie 9",
        code="UNIFIL-9",
        theatre="Libanon",
        start_date=world.today,
        end_date=world.today,
        parties=[
            (world.jfc, Party.PartyRole.OPERATIONAL_COMMAND),
            (world.bde13, Party.PartyRole.PARENT_BRIGADE),
        ],
    )
    assert "UNIFIL-9" in _get(client, home)[0]


def _answer(client: Any, url: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), len(queries)


def test_the_api_register_is_answered_again_until_the_deployment_changes(
    world: Any, client_for: Any, api_for: Any
) -> None:
    make_risk(world, title="Munitieopslag bij hoge temperaturen")
    browser = client_for(world.bde13_safety)
    url = f"/api/v1/deployments/{world.dep.pk}/risks?limit=10"
    first, cold = _answer(browser, url)
    again, warm = _answer(browser, url)
    assert again == first
    assert warm < cold  # neither read nor serialised again
    # A kept answer is still one no browser or proxy keeps.
    assert "no-store" in browser.get(url)["Cache-Control"]
    assert [r["title"] for r in first["items"]] == [
        "Munitieopslag bij hoge temperaturen"
    ]

    # Another page of the same list is its own answer.
    other, _ = _answer(browser, url + "&offset=1")
    assert other["items"] == [] and other["count"] == 1

    # A risk added through the API by a tool with a token shows at once.
    created = api_for(world.bde13_safety).post(
        f"/api/v1/deployments/{world.dep.pk}/risks",
        {
            "title": "Bevroren wegen",
            "hazard": "IJzel op de aanvoerroute.",
            "owner_party_id": world.party_bn.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    after, _ = _answer(browser, url)
    assert sorted(r["title"] for r in after["items"]) == [
        "Bevroren wegen",
        "Munitieopslag bij hoge temperaturen",
    ]


def test_a_kept_api_answer_is_only_the_readers_own(
    world: Any, client_for: Any, api_for: Any
) -> None:
    url = f"/api/v1/deployments/{world.dep.pk}/risks"
    make_risk(world)
    _answer(client_for(world.bde13_safety), url)
    # Someone of another brigade, not a party to this deployment: still 404.
    assert client_for(world.bde43_safety).get(url).status_code == 404
    # A token is answered afresh, with its own user's rights.
    assert api_for(world.bde43_safety).get(url).status_code == 404
    token = api_for(world.bde13_safety)
    for _i in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert token.get(url).status_code == 200
        assert any('FROM "risks_risk"' in q["sql"] for q in queries.captured_queries)
