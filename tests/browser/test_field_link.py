"""The field on a satellite link: a phone opens the report form and sends a
report with a photo over 256/64 kbit/s and 600 ms (Chromium's network
emulation). Prints the figures recorded in docs/working-offline.md; asserts
only what the user would see (one report, a small photo), never a time.

Run it on purpose (it takes a minute or two):
    MISSIONSAFETY_MEASURE_LINK=1 make browser \
        PYTEST_ARGS="tests/browser/test_field_link.py -s"
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from missionsafety.occurrences.models import Attachment, Occurrence
from tests.browser.test_field_offline import (
    DETAIL,
    PHONE,
    _phone_photo,
    fill_report,
    ready,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("MISSIONSAFETY_MEASURE_LINK"),
        reason="a measurement; set MISSIONSAFETY_MEASURE_LINK=1 to run it",
    ),
]

LINK = {
    "offline": False,
    "latency": 600,
    "downloadThroughput": 256_000 / 8,
    "uploadThroughput": 64_000 / 8,
}


def test_a_report_with_a_photo_over_a_satellite_link(
    new_page: Any, live_world: Any, login: Any, live_server: Any
) -> None:
    w = live_world
    photo = _phone_photo()
    phone = new_page(**PHONE)
    login(phone, "coy.commander")
    ready(phone)
    # The first visit on a good link installed the service worker; now the
    # link is the satellite's and the browser cache is cold.
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    cdp.send("Network.emulateNetworkConditions", LINK)
    received: list[int] = []
    cdp.on(
        "Network.loadingFinished",
        lambda event: received.append(int(event.get("encodedDataLength", 0))),
    )

    started = time.monotonic()
    phone.goto(f"{live_server.url}/deployments/{w.dep.pk}/occurrences/new/")
    form_paint = phone.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0]"
        " || {startTime: 0}).startTime"
    )
    ready(phone)
    form_ready = time.monotonic() - started
    form_bytes = sum(received)

    fill_report(phone, "Over de satelliet")
    phone.locator("main details summary").first.click()
    phone.set_input_files(
        "#id_attachment",
        files=[{"name": "IMG_0002.JPG", "mimeType": "image/jpeg", "buffer": photo}],
    )
    phone.wait_for_selector("#id_attachment[data-shrunk=yes]")
    sent_size = phone.evaluate(
        "() => document.getElementById('id_attachment').files[0].size"
    )
    started = time.monotonic()
    phone.locator("main form[data-field-form] button[type=submit]").click()
    phone.wait_for_url(DETAIL, timeout=180_000)
    send_time = time.monotonic() - started

    occurrence = Occurrence.objects.get(title="Over de satelliet")
    stored = Attachment.objects.get(occurrence=occurrence).size
    assert stored == sent_size
    assert stored <= 400 * 1024
    original_at_64k = len(photo) * 8 / 64_000
    print(
        "\nsatellite link 256/64 kbit/s, 600 ms, phone 390x844, cold cache\n"
        f"  report form: first paint {form_paint / 1000:.1f} s, ready "
        f"{form_ready:.1f} s, {form_bytes / 1024:.0f} KB transferred\n"
        f"  photo: {len(photo) / 1024:.0f} KB taken, {sent_size / 1024:.0f} KB sent\n"
        f"  send with photo until the report page shows: {send_time:.1f} s\n"
        f"  the original photo alone would take {original_at_64k:.0f} s at 64 kbit/s"
    )
