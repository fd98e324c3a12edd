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
