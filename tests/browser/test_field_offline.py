"""Reporting from the field without a connection, on a phone: drafts kept on
the device, an outbox that sends each report once, photos made small for the
link, and the report buttons on the first screen."""

from __future__ import annotations

import io
import random
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from missionsafety.occurrences.models import Attachment, Occurrence

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DETAIL = re.compile(r".*/occurrences/\d+/$")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}


def report_url(live_server: Any, w: Any) -> str:
    return f"{live_server.url}/deployments/{w.dep.pk}/occurrences/new/"


def until(page: Any, script: str, seconds: float = 15) -> None:
    """Wait until the script (which may answer with a promise) holds."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def precached(page: Any) -> None:
    """The service worker has kept the shell and this user's forms."""
    until(page, "() => MSField.getMeta('pages-at').then(at => !!at)")


NO_WORKER = {**PHONE, "service_workers": "block"}


def ready(page: Any) -> None:
    """The page script has set up the form (its key made on opening)."""
    page.wait_for_function("() => window.MSFieldPage !== undefined")


def fill_report(page: Any, title: str) -> None:
    page.select_option("#id_kind", "near_miss")
    page.fill("#id_title", title)
    page.fill("#id_place", "Kamp Herkules, poort 2")
    page.select_option("#id_actual_category", "0")
    page.select_option("#id_potential_category", "1")


def outbox_count(page: Any) -> int:
    return page.evaluate(
        "() => MSField.items(document.body.dataset.user).then(i => i.length)"
    )


def wait_for_empty_outbox(page: Any) -> None:
    until(
        page,
        "() => MSField.items(document.body.dataset.user).then(i => i.length === 0)",
    )


def send(page: Any) -> None:
    page.locator("main form[data-field-form] button[type=submit]").click()


def send_offline(page: Any, title: str) -> None:
    """Lose the link, fill in the report and send it: it goes to the outbox."""
    page.context.set_offline(True)
    fill_report(page, title)
    send(page)


@pytest.fixture
def phone(new_page: Any, live_world: Any, login: Any, live_server: Any) -> Any:
    """A phone without a service worker, the company commander logged in, on the
    report form of the deployment."""
    page = new_page(**NO_WORKER)
    login(page, "coy.commander")
    page.goto(report_url(live_server, live_world))
    ready(page)
    return page


def test_a_report_written_offline_waits_in_the_outbox_and_is_sent_once(
    phone: Any, live_server: Any
) -> None:
    send_offline(phone, "Losse lading op de weg")

    notice = phone.locator(".field-notice")
    assert "postvak uit" in notice.inner_text().lower()
    status = phone.locator("#outbox-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("(1)")
    assert not Occurrence.objects.filter(title="Losse lading op de weg").exists()

    phone.context.set_offline(False)
    phone.wait_for_function("() => document.getElementById('outbox-status').hidden")
    assert Occurrence.objects.filter(title="Losse lading op de weg").count() == 1
    # Another page, another chance to send: still one report.
    phone.goto(f"{live_server.url}/outbox/")
    ready(phone)
    phone.evaluate("() => MSFieldPage.flush()")
    assert Occurrence.objects.filter(title="Losse lading op de weg").count() == 1
    assert outbox_count(phone) == 0
    expect(phone.locator("#outbox-empty")).to_be_visible()


def test_an_answer_lost_on_the_way_back_gives_one_report_when_sent_again(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    phone = new_page(**PHONE)
    login(phone, "coy.commander")
    ready(phone)
    # The service worker has the shell and the forms of this deployment.
    precached(phone)
    phone.goto(report_url(live_server, w))
    ready(phone)
    assert phone.evaluate("() => !!navigator.serviceWorker.controller")
    key = phone.input_value("input[name=idempotency_key]")

    lost: list[str] = []

    def lose_the_answer(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
        elif not lost:
            lost.append(route.request.url)
            route.fetch()  # the server gets the report and saves it
            route.abort()  # the answer never arrives
        else:
            # Until the link is back below, the page's own attempts to send
            # the outbox (on load, on coming online) do not get through.
            route.abort()

    phone.context.route("**/occurrences/new/", lose_the_answer)
    fill_report(phone, "Antwoord kwijt")
    send(phone)
    phone.wait_for_selector("#offline")
    assert Occurrence.objects.filter(title="Antwoord kwijt").count() == 1
    ready(phone)
    assert outbox_count(phone) == 1

    phone.context.unroute("**/occurrences/new/")
    phone.evaluate("() => MSFieldPage.flush()")
    wait_for_empty_outbox(phone)
    assert Occurrence.objects.filter(title="Antwoord kwijt").count() == 1
    assert str(Occurrence.objects.get(title="Antwoord kwijt").idempotency_key) == key


def test_a_half_written_report_is_back_when_the_form_is_opened_again(
    phone: Any, live_world: Any, live_server: Any
) -> None:
    w = live_world
    key = phone.input_value("input[name=idempotency_key]")
    phone.fill("#id_title", "Halve melding")
    phone.fill("#id_place", "Schietbaan")
    until(
        phone,
        "() => MSField.getDraft(document.body.dataset.user, location.pathname)"
        ".then(d => !!d && d.entries.some(e => e[1] === 'Schietbaan'))",
    )
    context = phone.context
    phone.close()

    again = context.new_page()
    again.goto(report_url(live_server, w))
    ready(again)
    again.wait_for_function("() => document.querySelector('.field-notice')")
    assert again.input_value("#id_title") == "Halve melding"
    assert again.input_value("#id_place") == "Schietbaan"
    # The key made when the form was first opened: sending it twice keeps one.
    assert again.input_value("input[name=idempotency_key]") == key
    fill_report(again, "Halve melding, nu af")
    send(again)
    again.wait_for_url(DETAIL)
    assert Occurrence.objects.filter(title="Halve melding, nu af").count() == 1
    # Sent and answered: the draft is gone.
    again.goto(report_url(live_server, w))
    ready(again)
    assert again.input_value("#id_title") == ""
    assert again.locator(".field-notice").count() == 0


def _phone_photo() -> bytes:
    """A 4,000 × 3,000 photo of about 3 MB, as a phone takes it: smooth
    shapes with sensor noise."""
    from PIL import Image

    rng = random.Random(13)
    small = Image.new("RGB", (80, 60))
    small.putdata(
        [
            (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            for _ in range(80 * 60)
        ]
    )
    big = small.resize((4000, 3000), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
    out = io.BytesIO()
    Image.blend(big, noise, 0.2).save(out, "JPEG", quality=85)
    return out.getvalue()


def test_a_phone_photo_goes_up_small_with_its_progress_shown(phone: Any) -> None:
    photo = _phone_photo()
    assert 2_500_000 < len(photo) < 4_000_000
    fill_report(phone, "Beschadigde slagboom")
    phone.locator("main details summary").first.click()
    phone.set_input_files(
        "#id_attachment",
        files=[{"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": photo}],
    )
    phone.wait_for_selector("#id_attachment[data-shrunk=yes]")
    assert "KB" in phone.locator(".photo-size").inner_text()
    send(phone)
    phone.wait_for_selector("progress.upload", state="attached")
    phone.wait_for_url(DETAIL)
    occurrence = Occurrence.objects.get(title="Beschadigde slagboom")
    attachment = Attachment.objects.get(occurrence=occurrence)
    size = attachment.size
    assert size <= 400 * 1024, size
    from PIL import Image

    with Image.open(attachment.file.open("rb")) as stored:
        assert max(stored.size) == 1600
        assert stored.format == "JPEG"


def test_the_report_buttons_are_on_the_first_screen_of_a_phone(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    phone = new_page(**NO_WORKER)
    login(phone, "coy.commander")
    for url in ("/", f"/deployments/{w.dep.pk}/"):
        phone.goto(live_server.url + url)
        for name in ("Voorval melden", "Waarneming vastleggen"):
            box = phone.get_by_role("link", name=name).first.bounding_box()
            assert box is not None
            assert box["y"] + box["height"] <= 844, (url, name, box)
    phone.get_by_role("link", name="Voorval melden").first.click()
    assert phone.url == report_url(live_server, w)


def test_a_report_the_server_refuses_comes_back_as_a_draft_with_its_messages(
    phone: Any, live_server: Any
) -> None:
    phone.context.set_offline(True)
    fill_report(phone, "Zonder plaats")
    phone.fill("#id_place", "")
    send(phone)
    assert outbox_count(phone) == 1

    phone.context.set_offline(False)
    # Back as a draft with the server's messages: the header says so.
    status = phone.locator("#outbox-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("fout")
    assert not Occurrence.objects.filter(title="Zonder plaats").exists()
    phone.goto(f"{live_server.url}/outbox/")
    ready(phone)
    expect(phone.locator("#outbox-drafts")).to_contain_text("Zonder plaats")
    phone.get_by_role("link", name="Openen").click()
    ready(phone)
    phone.wait_for_function("() => document.querySelector('.field-notice li')")
    assert phone.input_value("#id_title") == "Zonder plaats"
    assert phone.locator(".field-notice li").count() >= 1
    phone.fill("#id_place", "Wachtpost 3")
    send(phone)
    phone.wait_for_url(DETAIL)
    assert Occurrence.objects.filter(title="Zonder plaats").count() == 1


def test_one_users_outbox_is_never_sent_with_another_users_session(
    phone: Any, live_world: Any, login: Any
) -> None:
    w = live_world
    send_offline(phone, "Van de commandant")
    assert outbox_count(phone) == 1

    # The session ends without a log-out; someone else logs in on this phone.
    phone.context.clear_cookies(name="sessionid")
    phone.context.set_offline(False)
    login(phone, "coy.leader")
    ready(phone)
    phone.evaluate("() => MSFieldPage.flush()")
    assert phone.locator("#outbox-status").is_hidden()
    assert not Occurrence.objects.filter(title="Van de commandant").exists()

    # Back as the commander, the report goes, once, as theirs.
    phone.context.clear_cookies(name="sessionid")
    login(phone, "coy.commander")
    ready(phone)
    wait_for_empty_outbox(phone)
    sent = Occurrence.objects.get(title="Van de commandant")
    assert sent.reported_by == w.coy_commander


def test_an_expired_session_asks_to_log_in_and_then_sends(
    phone: Any,
) -> None:
    send_offline(phone, "Na de sessie")
    phone.context.clear_cookies(name="sessionid")
    phone.context.set_offline(False)
    status = phone.locator("#outbox-status")
    phone.wait_for_function(
        "() => document.getElementById('outbox-status').textContent.includes('aanmelden')"
    )
    status.click()
    phone.fill("#id_username", "coy.commander")
    phone.fill("#id_password", "test-pass-123")
    phone.click("main button[type=submit]")
    ready(phone)
    wait_for_empty_outbox(phone)
    assert Occurrence.objects.filter(title="Na de sessie").count() == 1


def test_logging_out_with_a_waiting_report_asks_first(
    phone: Any, live_world: Any, login: Any
) -> None:
    w = live_world
    send_offline(phone, "Nog niet weg")
    # The link is back but the server cannot be reached: the report waits.
    phone.route("**/occurrences/new/", lambda route: route.abort())
    phone.context.set_offline(False)

    asked: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    phone.once("dialog", lambda d: answer(d, False))
    phone.locator("details.menu summary").click()
    phone.get_by_role("button", name="Afmelden").click()
    for _ in range(100):
        if asked:
            break
        phone.wait_for_timeout(100)
    assert asked and "1" in asked[0]
    assert outbox_count(phone) == 1  # kept: the user said no

    phone.once("dialog", lambda d: answer(d, True))
    phone.get_by_role("button", name="Afmelden").click()
    phone.wait_for_url("**/login/**")
    phone.add_script_tag(url="/static/core/field-db.js")
    assert (
        phone.evaluate(
            f"() => MSField.items('{w.coy_commander.pk}').then(i => i.length)"
        )
        == 0
    )
    assert not Occurrence.objects.filter(title="Nog niet weg").exists()


def test_offline_the_report_form_opens_and_other_pages_say_they_need_the_link(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    phone = new_page(**PHONE)
    login(phone, "coy.commander")
    ready(phone)
    precached(phone)
    phone.context.set_offline(True)
    phone.goto(report_url(live_server, w))
    assert phone.locator("#id_title").is_visible()
    phone.goto(f"{live_server.url}/deployments/{w.dep.pk}/risks/")
    assert phone.locator("#offline").is_visible()
    assert "verbinding" in phone.locator("#offline").inner_text()
