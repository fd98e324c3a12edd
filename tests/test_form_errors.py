"""Every form tells what is wrong at once, at the top, and next to each field:
an error summary linking to the fields, each message tied to its control with
``aria-describedby`` on an id that exists."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def control(page: str, name: str) -> str:
    match = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def described_by(tag: str) -> list[str]:
    match = re.search(r'aria-describedby="([^"]+)"', tag)
    return match.group(1).split() if match else []


def report(client: Any, world: Any, **changes: Any) -> Any:
    when = timezone.localtime() - datetime.timedelta(hours=1)
    data = {
        "kind": "near_miss",
        "title": "Bijna aanrijding bij poort",
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
        "place": "Rukla, hoofdpoort",
        "unit": world.coy.pk,
        "actual_category": "0",
        "potential_category": "2",
        **changes,
    }
    return client.post(reverse("occurrences:report", args=[world.dep.pk]), data)


def test_all_errors_come_at_once_in_a_summary_at_the_top(
    world: Any, client_for: Any
) -> None:
    future = timezone.localtime() + datetime.timedelta(days=2)
    response = report(
        client_for(world.coy_commander),
        world,
        title="",
        occurred_at=future.strftime("%Y-%m-%dT%H:%M"),
        latitude="54.9",  # without a longitude
    )
    page = response.content.decode()
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert summary, "no error summary"
    # Above the first field of the form.
    assert page.index('class="error-summary"') < page.index('name="kind"')
    links = re.findall(r'<a href="#([^"]+)">', summary.group(1))
    # The empty title and the future moment in one answer, not one at a time.
    assert links == ["id_title", "id_occurred_at", "id_longitude"]
    assert "Er zijn 3 problemen met dit formulier" in summary.group(1)
    assert set(links) <= ids(page)
    assert "Rukla, hoofdpoort" in page  # nothing typed is lost


def test_each_message_is_tied_to_its_field(world: Any, client_for: Any) -> None:
    page = report(client_for(world.coy_commander), world, title="").content.decode()
    title = control(page, "title")
    assert 'aria-invalid="true"' in title
    assert described_by(title) == ["id_title_error"]
    error = re.search(r'<div class="error" id="id_title_error">(.*?)</div>', page)
    assert error and "verplicht" in error.group(1)  # Dutch: "Dit veld is verplicht."
    # Fields without errors are not marked invalid.
    assert "aria-invalid" not in control(page, "place")


def test_help_texts_are_tied_to_their_fields(world: Any, client_for: Any) -> None:
    client = client_for(world.coy_commander)
    page = client.get(reverse("occurrences:report", args=[world.dep.pk])).content
    text = page.decode()
    injuries = control(text, "injuries")
    assert described_by(injuries) == ["id_injuries_helptext"]
    assert "id_injuries_helptext" in ids(text)
    # No control on the page points at an id that is not there.
    for tag in re.findall(r"<(?:input|select|textarea|fieldset)[^>]*>", text):
        assert set(described_by(tag)) <= ids(text), tag


def test_choices_shown_as_radio_buttons_are_a_fieldset_with_a_legend(
    world: Any, client_for: Any
) -> None:
    """A group of radio buttons is named by its legend, and the summary links to
    its first button."""
    from django import forms

    from missionsafety.core.templatetags.ms import field_anchor

    class Choice(forms.Form):
        answer = forms.ChoiceField(
            label="Go or no go",
            choices=[("go", "go"), ("no_go", "no go")],
            widget=forms.RadioSelect,
        )

    form = Choice(data={})
    assert not form.is_valid()
    from django.template.loader import render_to_string

    html = render_to_string("core/_form.html", {"form": form})
    assert '<fieldset class="field invalid required"' in html
    assert "<legend>Go or no go</legend>" in html
    assert 'aria-describedby="id_answer_error"' in html
    assert field_anchor(form["answer"]) == "id_answer_0"
    assert 'href="#id_answer_0"' in html and 'id="id_answer_0"' in html


def test_no_control_on_any_page_points_at_a_missing_id(
    world: Any, client_for: Any
) -> None:
    from tests.test_phone_tables import html_pages

    broken = []
    for url, target in html_pages(world):
        response = client_for(target.get("insider", world.bde13_safety)).get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        text = response.content.decode()
        present = ids(text)
        for tag in re.findall(r"<(?:input|select|textarea|fieldset)[^>]*>", text):
            if not set(described_by(tag)) <= present:
                broken.append(f"{url}: {tag}")
    assert not broken, "\n".join(broken)


# -- every form: all field errors in one submit ------------------------------
#
# Each case posts one form of the product with several fields wrong at once,
# including rules that only the service knew before (a due date outside the
# deployment's window, a residual level above the inherent one, a required
# answer of an evaluation), and expects every one of them in the first answer.

LONG = "x" * 600


def _past() -> str:
    return (timezone.localdate() - datetime.timedelta(days=30)).isoformat()


# (url name, user, data, fields that must each carry an error)
FORMS: list[tuple[str, str, Any, list[str]]] = [
    (
        "risks:create",
        "bde13_safety",
        lambda w: {"title": "", "hazard": "", "control_1_kind": "nonsense"},
        ["title", "hazard", "owner_party", "control_1_kind"],
    ),
    (
        "risks:edit",
        "bde13_safety",
        lambda w: {"title": "", "hazard": "", "version": w.risk.version},
        ["title", "hazard", "owner_party"],
    ),
    (
        "risks:assess",
        "bde13_safety",
        # The residual level above the inherent one is found with the
        # missing reason, not after it.
        lambda w: {
            "inherent_probability": "E",
            "inherent_severity": "IV",
            "residual_probability": "A",
            "residual_severity": "I",
        },
        ["reason", "residual_severity"],
    ),
    (
        "risks:control_add",
        "bde13_safety",
        lambda w: {"description": "", "kind": "administrate", "due_date": "2001-01-01"},
        ["description", "owner_party", "due_date"],
    ),
    (
        "risks:control_edit",
        "bn_commander",
        lambda w: {
            "description": "",
            "kind": "",
            "owner_party": w.party_bn.pk,
            "status": w.control.status,
            "due_date": "2001-01-01",
            "version": w.control.version,
        },
        ["description", "kind", "due_date"],
    ),
    (
        "risks:start",
        "bde13_safety",
        lambda w: {"mode": "library"},
        ["hazards", "owner_party"],
    ),
    (
        "risks:consultation",
        "clas_safety",
        lambda w: {"answer": "object", "text": ""},
        ["text"],
    ),
    (
        "risks:decide",
        "coy_commander",
        # The service's refusal is tied to its field like a form error.
        lambda w: {
            "outcome": "accept",
            "assessment": w.assessment.pk,
            "valid_until": _past(),
        },
        ["valid_until"],
    ),
    (
        "risks:import",
        "bde13_safety",
        lambda w: {},
        ["file"],
    ),
    (
        "deployments:create",
        "bde13_safety",
        lambda w: {
            "code": "",
            "name": "",
            "start_date": "2030-05-01",
            "end_date": "2030-01-01",
        },
        ["code", "name", "end_date", "own_organisation", "own_role"],
    ),
    (
        "deployments:edit",
        "bde13_safety",
        lambda w: {
            "code": w.dep.code,
            "name": "",
            "theatre": w.dep.theatre,
            "start_date": "2030-05-01",
            "end_date": "2030-01-01",
            "version": w.dep.version,
        },
        ["name", "end_date"],
    ),
    (
        "deployments:party_add",
        "bde13_safety",
        lambda w: {"organisation": "", "role": "", "contact_note": LONG},
        ["organisation", "role", "contact_note"],
    ),
    (
        "deployments:party_contact",
        "bde13_safety",
        lambda w: {"point_of_contact": "999999", "contact_note": LONG},
        ["point_of_contact", "contact_note"],
    ),
    (
        "evaluations:new",
        "bde13_safety",
        lambda w: {"template": "", "title": LONG, "due_date": "not a date"},
        ["template", "title", "due_date"],
    ),
    (
        "evaluations:hold",
        "jfc_safety",
        # The board's required answers are checked with the date, not after.
        lambda w: {"held_on": ""},
        ["held_on", "answer_*"],
    ),
    (
        "evaluations:finding_action",
        "jfc_safety",
        lambda w: {"description": "", "due_date": "not a date"},
        ["description", "owner_party", "owner", "due_date"],
    ),
    (
        "feedback:thread_new",
        "bde13_safety",
        lambda w: {"subject": "", "to_party": "", "kind": "", "title": "", "body": ""},
        ["to_party", "kind", "title", "body"],
    ),
    (
        "feedback:thread_new",
        "bde13_safety",
        # Asking one's own party, with a date in the past: both at once.
        lambda w: {
            "subject": f"deployments.deployment:{w.dep.pk}",
            "from_party": w.party_bde13.pk,
            "to_party": w.party_bde13.pk,
            "kind": "question",
            "title": "",
            "body": "Vraag",
            "due_date": _past(),
        },
        ["to_party", "title", "due_date"],
    ),
    (
        "lessons:observation_new",
        "bde13_safety",
        lambda w: {
            "title": "",
            "observation": "",
            "releasability": "named",
            "observed_on": "not a date",
        },
        ["deployment", "title", "source", "kind", "observation", "observed_on"],
    ),
    (
        "lessons:observation_edit",
        "bde13_safety",
        lambda w: {"title": "", "observation": "", "source": "", "kind": ""},
        ["title", "source", "kind", "observation", "releasability"],
    ),
    (
        "lessons:lesson_new",
        "jfc_lessons",
        lambda w: {"title": "", "due_date": "not a date"},
        ["title", "observations", "due_date"],
    ),
    (
        "lessons:lesson_edit",
        "jfc_lessons",
        lambda w: {"title": "", "due_date": "not a date", "releasability": ""},
        ["title", "due_date", "releasability"],
    ),
    (
        "occurrences:edit",
        "bde13_safety",
        lambda w: {"kind": "", "title": "", "place": "", "actual_category": "9"},
        ["kind", "title", "occurred_at", "place", "unit", "actual_category"],
    ),
    (
        "occurrences:triage",
        "bde13_safety",
        lambda w: {"actual_category": "9", "potential_category": ""},
        ["actual_category", "potential_category"],
    ),
    (
        "occurrences:action_add",
        "bde13_safety",
        lambda w: {"description": "", "owner": "", "due_date": "not a date"},
        ["description", "owner", "due_date"],
    ),
    (
        "occurrences:person_add",
        "bde13_safety",
        lambda w: {"name": "", "role_in_occurrence": LONG},
        ["name", "role_in_occurrence"],
    ),
    (
        "evaluations:report",
        "jfc_safety",
        lambda w: {"report": ""},
        ["report"],
    ),
    (
        "evaluations:skip",
        "jfc_safety",
        lambda w: {"skipped_reason": ""},
        ["skipped_reason"],
    ),
    (
        "feedback:thread_reply",
        "clas_safety",
        lambda w: {"body": ""},
        ["body"],
    ),
    (
        "organisations:tokens",
        "bde13_safety",
        lambda w: {"name": ""},
        ["name"],
    ),
    (
        "organisations:password",
        "bde13_safety",
        lambda w: {"old_password": "", "new_password1": "", "new_password2": ""},
        ["old_password", "new_password1", "new_password2"],
    ),
]


def check_every_error_shown(page: str, fields: list[str]) -> None:
    """Each field has an error tied to its control and listed in the summary."""
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert summary, "no error summary"
    links = re.findall(r'<a href="#([^"]+)">', summary.group(1))
    present = ids(page)
    described = {
        target
        for tag in re.findall(r"<(?:input|select|textarea|fieldset)[^>]*>", page)
        for target in described_by(tag)
    }
    for name in fields:
        pattern = re.compile(rf"id_{name.replace('*', '[a-z0-9_]+')}_error$")
        errors = {i for i in present if pattern.match(i)}
        assert errors, f"{name}: no error message on the page"
        for error in errors:
            field_id = error.removesuffix("_error")
            assert error in described, f"{name}: no control points at {error}"
            assert any(link in (field_id, f"{field_id}_0") for link in links), (
                f"{name}: not in the summary ({links})"
            )
    # Every link of the summary lands on something.
    assert set(links) <= present, links


@pytest.mark.parametrize(
    ("name", "who", "data", "fields"),
    FORMS,
    ids=[f"{case[0]}-{n}" for n, case in enumerate(FORMS)],
)
def test_every_form_shows_every_field_error_at_once(
    world: Any, client_for: Any, name: str, who: str, data: Any, fields: list[str]
) -> None:
    from tests.test_access_control import all_targets

    target = all_targets(world)[name]
    url = reverse(name, kwargs=target.get("kwargs", {}))
    response = client_for(getattr(world, who)).post(url, data(world))
    assert response.status_code in (200, 400, 422), response.status_code
    check_every_error_shown(response.content.decode(), fields)


def test_no_form_lets_the_browser_stop_at_the_first_field(
    world: Any, client_for: Any
) -> None:
    """A browser's own check of ``required`` fields shows one field at a time and
    sends nothing; every form with fields leaves the checking to the server."""
    from tests.test_phone_tables import html_pages

    found = []
    for url, target in html_pages(world):
        response = client_for(target.get("insider", world.bde13_safety)).get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        text = response.content.decode()
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, re.S):
            opening = form[: form.index(">") + 1]
            if "novalidate" in opening or 'method="get"' in opening:
                continue
            if re.search(r"<(?:input|select|textarea)\b(?![^>]*type=\"hidden\")", form):
                found.append(f"{url}: {opening}")
    assert not found, "\n".join(sorted(set(found)))


def test_services_refuse_with_every_problem_at_once(world: Any) -> None:
    """The API and imports call the services directly: their refusal names
    every field that is wrong, not the first one only."""
    from missionsafety.core.exceptions import ValidationError
    from missionsafety.core.services import field_errors
    from missionsafety.occurrences.services import occurrence_report
    from missionsafety.risks import services

    with pytest.raises(ValidationError) as risk:
        services.risk_create(
            actor=world.bde13_safety,
            deployment=world.dep,
            title=" ",
            hazard="",
            owner_party=None,
        )
    assert set(field_errors(risk.value)) == {"title", "hazard", "owner_party"}

    existing = services.risk_create(
        actor=world.bde13_safety,
        deployment=world.dep,
        title="Hitte",
        hazard="Hitte",
        owner_party=world.party_bn,
    )
    with pytest.raises(ValidationError) as control:
        services.control_add(
            actor=world.bde13_safety,
            risk=existing,
            description="",
            kind="wish",
            owner_party=world.party_bn,
            due_date=datetime.date(2001, 1, 1),
        )
    assert set(field_errors(control.value)) == {"description", "kind", "due_date"}

    with pytest.raises(ValidationError) as occurrence:
        occurrence_report(
            actor=world.coy_commander,
            deployment=world.dep,
            occurred_at=timezone.now() + datetime.timedelta(days=3),
            place="",
            unit=world.coy,
            kind="rumour",
            title="",
            actual_category=0,
            potential_category=7,
            latitude="54.9",
        )
    assert set(field_errors(occurrence.value)) == {
        "kind",
        "title",
        "occurred_at",
        "place",
        "potential_category",
        "longitude",
    }
