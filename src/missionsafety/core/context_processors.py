"""Texts the page script needs, in the user's language (the navigation bar that
names every app is the project package's: ``missionsafety.context_processors``)."""

from __future__ import annotations

from django.utils.translation import gettext


def field_texts() -> dict[str, str]:
    """What the page script (core/field.js) says, in the user's language."""
    return {
        "waiting": gettext("Waiting to be sent (%(count)s)"),
        "login": gettext("Log in again to send (%(count)s)"),
        "refused": gettext("Returned with errors (%(count)s)"),
        "refusedOne": gettext("The server refused this report."),
        "queued": gettext(
            "No connection: your report is kept in the outbox on this device "
            "and will be sent when the link is back."
        ),
        "openOutbox": gettext("Open the outbox"),
        "another": gettext("Write another report"),
        "restored": gettext("Your draft from this device is back."),
        "returned": gettext(
            "This report came back from the server. Correct it and send it again:"
        ),
        "maybeSent": gettext(
            "It may have been sent already; sending it again will not make a "
            "second one."
        ),
        "discard": gettext("Discard draft"),
        "sending": gettext("Sending… %(count)s%%"),
        "photoSize": gettext("Photo made smaller for the link: %(count)s KB"),
        "logout": gettext(
            "%(count)s report(s) in your outbox have not been sent yet. Log out "
            "and delete them from this device?"
        ),
    }
