"""The page frame kept per language and person (core.frame): what each request
fills in is its own, and what the shell holds follows the person and language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from missionsafety.core import frame
from missionsafety.core.frame import MARK
from missionsafety.feedback.models import Notification
from missionsafety.feedback.services import notify

pytestmark = pytest.mark.django_db


def _current_links(html: str) -> list[str]:
    nav = html.split('<nav aria-label="', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _note(world: Any, user: Any, days_ago: int = 0) -> None:
    import datetime

    from django.utils import timezone

    notify(
        recipients=[user],
        kind="thread_to_party",
        subject=world.dep,
        params={"title": "Vraag", "deployment": "EFP-R12"},
        url=reverse("home"),
        deployment=world.dep,
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


def test_each_page_marks_its_own_link_with_one_kept_shell(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.bde13_safety)
    frame.forget_shells()
    lessons = client.get(reverse("lessons:search")).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert _current_links(lessons) == [reverse("lessons:search")]
    assert _current_links(home) == [reverse("home")]
    assert len(frame._shells) == 1
    assert MARK not in lessons + home


def test_unread_count_and_messages_are_this_requests(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.bde13_safety)
    assert 'class="count"' not in client.get(reverse("home")).content.decode()
    _note(world, world.bde13_safety)
    _note(world, world.bde13_safety, days_ago=1)
    assert (
        '<span class="count">2</span>' in client.get(reverse("home")).content.decode()
    )
    answer = client.post(reverse("feedback:read_all"), follow=True)
    page = answer.content.decode()
    assert '<ul class="messages" role="status">' in page
    assert "2 melding(en) als gelezen gemarkeerd." in page
    assert 'class="count"' not in page
    again = client.get(reverse("home")).content.decode()
    assert 'class="messages"' not in again  # shown once


def test_the_token_in_the_frame_is_accepted_and_another_is_not(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.bde13_safety)
    _note(world, world.bde13_safety)
    page = client.get(reverse("feedback:inbox")).content.decode()
    token = _token(page)
    assert f'"X-CSRFToken": "{token}"' in page  # the same token for HTMX
    refused = client.post(reverse("feedback:read_all"), {"csrfmiddlewaretoken": "x"})
    assert refused.status_code == 403
    done = client.post(reverse("feedback:read_all"), {"csrfmiddlewaretoken": token})
    assert done.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_path_is_escaped_in_the_language_form(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    page = client.get(reverse("home") + '?q="><b>x</b>&a=1').content.decode()
    assert "<b>x</b>" not in page
    assert (
        'name="next" type="hidden" value="/?q=%22%3E%3Cb%3Ex%3C/b%3E&amp;a=1"' in page
    )


def test_language_and_person_each_have_their_own_frame(
    world: Any, client_for: Any
) -> None:
    frame.forget_shells()
    safety = client_for(world.bde13_safety)
    dutch = safety.get(reverse("home")).content.decode()
    safety.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = safety.get(reverse("home")).content.decode()
    assert '<html lang="nl">' in dutch and "Mijn inzetten" in dutch
    assert '<html lang="en">' in english and "My deployments" in english
    assert "Mijn inzetten" not in english
    inspector = client_for(world.inspector).get(reverse("home")).content.decode()
    name = world.inspector.display_name
    assert f"<summary>{name}</summary>" in inspector
    assert world.bde13_safety.display_name not in inspector
    # Only an auditor gets the audit link; the shells differ per person.
    assert f'href="{reverse("audit:chain")}"' in inspector
    assert f'href="{reverse("audit:chain")}"' not in dutch
    assert len(frame._shells) == 3


def test_a_renamed_person_and_a_new_staff_member_see_it_at_once(
    world: Any, client_for: Any
) -> None:
    user = world.bde13_safety
    client = client_for(user)
    before = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") not in before
    user.first_name, user.is_staff = "Anneke", True
    user.save(update_fields=["first_name", "is_staff"])
    after = client.get(reverse("home")).content.decode()
    assert "Anneke" in after
    assert f'<a href="{reverse("admin:index")}">' in after


def test_a_visitor_gets_the_frame_without_the_menus(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert "<nav" not in page and 'class="menu"' not in page
    assert 'name="csrfmiddlewaretoken"' in page and MARK not in page
    assert "<footer>Mission Safety · één gedeeld beeld" in page


def test_kept_shells_are_bounded(world: Any, client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(frame, "MAX_SHELLS", 2)
    frame.forget_shells()
    for user in (world.bde13_safety, world.inspector, world.jfc_safety):
        client_for(user).get(reverse("home"))
    assert len(frame._shells) == 1  # cleared at the bound, then the third kept


def test_the_print_footer_names_the_time_of_this_request(
    world: Any, client_for: Any, settings: Any
) -> None:
    from django.utils import formats, timezone

    page = client_for(world.bde13_safety).get(reverse("home")).content.decode()
    now = formats.date_format(timezone.localtime(), "j M Y")
    assert re.search(
        rf"Afgedrukt {re.escape(now)} \d\d:\d\d door {world.bde13_safety.display_name}",
        page,
    )
