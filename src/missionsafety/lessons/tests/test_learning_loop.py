"""The learning loop: a new risk finds what earlier deployments learned."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory
from django.urls import reverse

from missionsafety.core.panels import panels_for
from missionsafety.lessons import selectors, services
from missionsafety.lessons.access import make_risk
from missionsafety.lessons.apps import _risk_panel
from missionsafety.lessons.models import LessonUse


def _panel(slot: str, user: Any, obj: Any) -> dict[str, Any]:
    request = RequestFactory().get("/")
    request.user = user
    panels = {p["template"]: p["context"] for p in panels_for(slot, request, obj)}
    return panels


def test_done_when(loop: Any, client_for: Any) -> None:
    """bde13.safety records "ammunition storage in heat", sees the fuze
    observation of an earlier deployment, marks it taken into account;
    jfc.safety finds it with "munitieopslag hitte"; the observation released
    only to 13 LBR stays invisible to bde43.safety."""
    w = loop.w
    bde13 = client_for(w.bde13_safety)
    # While typing on the new-risk form: the HTMX suggestions partial.
    response = bde13.get(
        reverse("lessons:suggest", kwargs={"deployment_pk": w.dep.pk}),
        {"title": "ammunition storage in heat", "category": "weapons-ammo"},
    )
    assert response.status_code == 200
    assert loop.fuzes.title in response.content.decode()

    risk = make_risk(w.dep, title="ammunition storage in heat", category=loop.ammo)
    panel = _panel("risk", w.bde13_safety, risk)["lessons/_risk_panel.html"]
    assert loop.fuzes.pk in [h.observation_id for h in panel["hits"]]

    response = bde13.post(
        reverse("lessons:use_add", kwargs={"risk_pk": risk.pk}),
        {"target": f"observation:{loop.fuzes.pk}", "note": "Gekoelde opslag gepland"},
    )
    assert response.status_code == 302
    use = LessonUse.objects.get(risk=risk)
    assert use.observation == loop.fuzes and use.by == w.bde13_safety
    panel = _panel("risk", w.bde13_safety, risk)["lessons/_risk_panel.html"]
    assert f"observation:{loop.fuzes.pk}" in panel["taken"]

    page = client_for(w.jfc_safety).get(
        reverse("lessons:search"), {"q": "munitieopslag hitte"}
    )
    assert loop.fuzes.title in page.content.decode()
    assert "<mark>" in page.content.decode()

    outsider = client_for(w.bde43_safety)
    page = outsider.get(reverse("lessons:search"), {"q": "munitieopslag hitte"})
    html = page.content.decode()
    assert loop.fuzes.title in html  # released to all of defence
    assert loop.secret.title not in html
    assert loop.parties_only.title not in html
    assert page.context["results"].total == 1
    facet_total = sum(f.count for f in page.context["results"].facets["type"])
    assert facet_total == 1
    theirs = make_risk(w.other, title="ammunition storage in heat", category=loop.ammo)
    panel = _panel("risk", w.bde43_safety, theirs)["lessons/_risk_panel.html"]
    assert [h.observation_id for h in panel["hits"]] == [loop.fuzes.pk]


def test_the_brigade_sees_what_is_released_to_it(loop: Any) -> None:
    w = loop.w
    risk = make_risk(w.dep, title="munitie opslag hitte", category=loop.ammo)
    hits = selectors.risk_suggestions(user=w.bde13_safety, risk=risk)
    found = {h.observation_id for h in hits}
    assert {loop.fuzes.pk, loop.secret.pk, loop.parties_only.pk} <= found
    # A unit below the brigade sees what is released to the brigade.
    hits = selectors.risk_suggestions(user=w.coy_leader, risk=risk)
    assert loop.secret.pk in {h.observation_id for h in hits}


def test_risk_panel_adds_few_queries(
    loop: Any, django_assert_max_num_queries: Any
) -> None:
    w = loop.w
    risk = make_risk(w.dep, title="ammunition storage in heat", category=loop.ammo)
    risk = type(risk).objects.select_related("deployment", "category").get(pk=risk.pk)
    request = RequestFactory().get("/")
    request.user = w.bde13_safety
    # The lessons panel alone (other apps add their own panels to the slot).
    panels_for("risk", request, risk)  # memberships cached on the user
    with django_assert_max_num_queries(3):
        _risk_panel(request, risk)


def test_lesson_shows_later_use(loop: Any, client_for: Any) -> None:
    w = loop.w
    services.observation_transition(
        actor=w.jfc_safety, observation=loop.fuzes, to_status="verified"
    )
    loop.fuzes.refresh_from_db()
    lesson = services.lesson_create(
        actor=w.jfc_lessons,
        title="Munitie gekoeld opslaan",
        observations=[loop.fuzes],
        deployment=loop.mali,
    )
    assert lesson.releasability == "defence"  # from its observation
    for dep in (w.dep, w.other):
        actor = w.bde13_safety if dep == w.dep else w.bde43_safety
        risk = make_risk(dep, title="Munitie in de zon")
        services.lesson_use_add(actor=actor, risk=risk, lesson=lesson)
    page = client_for(w.inspector).get(
        reverse("lessons:lesson_detail", kwargs={"pk": lesson.pk})
    )
    assert "2 later deployments" in page.content.decode() or "2 latere" in (
        page.content.decode()
    )
    # bde13 sees only the use on its own deployment's risk.
    page = client_for(w.bde13_safety).get(
        reverse("lessons:lesson_detail", kwargs={"pk": lesson.pk})
    )
    assert page.context["use_deployments"] == 1


def test_earlier_lessons_review(loop: Any, client_for: Any) -> None:
    """The readiness gate's selector counts lessons of earlier rotations in the
    same theatre and which were reviewed."""
    from missionsafety.deployments.models import Party

    from .conftest import make_earlier

    w = loop.w
    r = Party.PartyRole
    earlier = make_earlier(
        w,
        "EFP-R9",
        "Litouwen (Rukla)",
        [(w.jfc, r.OPERATIONAL_COMMAND), (w.bde13, r.PARENT_BRIGADE)],
    )
    obs = services.observation_submit(
        actor=w.bde13_safety,
        deployment=earlier,
        title="Gladheid op de oefenterreinen",
        observation="Twee voertuigen gleden van de weg bij ijzel.",
        source="aar",
        releasability="parties",
        discussion="d",
        conclusion="c",
        recommendation="r",
    )
    services.observation_transition(
        actor=w.jfc_safety, observation=obs, to_status="verified"
    )
    obs.refresh_from_db()
    lesson = services.lesson_create(
        actor=w.jfc_lessons, title="Winterbanden", observations=[obs]
    )
    w.dep.start_date = w.today  # later than EFP-R9
    assert selectors.earlier_lessons_review(w.dep) == {
        "relevant": 1,
        "reviewed": 0,
        "unreviewed": 1,
        "unreviewed_ids": [lesson.pk],
        "complete": False,
    }
    response = client_for(w.bde13_safety).post(
        reverse("lessons:review_add", kwargs={"deployment_pk": w.dep.pk}),
        {"lesson": lesson.pk},
    )
    assert response.status_code == 302
    review = selectors.earlier_lessons_review(w.dep)
    assert review["reviewed"] == 1 and review["complete"]
    page = client_for(w.bde13_safety).get(
        reverse("deployments:detail", kwargs={"pk": w.dep.pk})
    )
    assert "Winterbanden" in page.content.decode()
    # Not a party to either: the panel shows nothing of it, the page is 404.
    assert (
        client_for(w.bde43_safety)
        .get(reverse("deployments:detail", kwargs={"pk": w.dep.pk}))
        .status_code
        == 404
    )


def test_a_kept_lessons_panel_shows_a_new_lesson_of_an_earlier_rotation(
    loop: Any, client_for: Any
) -> None:
    """The deployment page keeps its lessons panel, but a lesson made in
    another (earlier) deployment shows at once."""
    from django.core.cache import cache
    from django.test import override_settings

    from missionsafety.deployments.models import Party

    from .conftest import make_earlier

    w = loop.w
    r = Party.PartyRole
    earlier = make_earlier(
        w,
        "EFP-R9",
        "Litouwen (Rukla)",
        [(w.jfc, r.OPERATIONAL_COMMAND), (w.bde13, r.PARENT_BRIGADE)],
    )

    def lesson(title: str) -> None:
        obs = services.observation_submit(
            actor=w.bde13_safety,
            deployment=earlier,
            title=f"Waarneming {title}",
            observation="Twee voertuigen gleden van de weg bij ijzel.",
            source="aar",
            releasability="parties",
            discussion="d",
            conclusion="c",
            recommendation="r",
        )
        services.observation_transition(
            actor=w.jfc_safety, observation=obs, to_status="verified"
        )
        obs.refresh_from_db()
        services.lesson_create(actor=w.jfc_lessons, title=title, observations=[obs])

    client = client_for(w.bde13_safety)
    url = reverse("deployments:detail", kwargs={"pk": w.dep.pk})
    cache.clear()
    with override_settings(KEEP_PANELS=True):
        lesson("Winterbanden")
        assert "Winterbanden" in client.get(url).content.decode()
        lesson("Sneeuwkettingen")
        text = client.get(url).content.decode()
    cache.clear()
    assert "Winterbanden" in text and "Sneeuwkettingen" in text
