"""Two people edit the same risk: the second sees the first's values beside
their own, keeps what they typed, and saves only once they have seen both."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from missionsafety.risks.tests.factories import make_risk

pytestmark = pytest.mark.django_db


def _post(client: Any, risk: Any, version: int, **values: Any) -> Any:
    data = {
        "title": risk.title,
        "hazard": risk.hazard,
        "cause": risk.cause,
        "consequence": risk.consequence,
        "activity": risk.activity,
        "owner_party": risk.owner_party_id,
        "version": version,
        **values,
    }
    return client.post(reverse("risks:edit", args=[risk.pk]), data)


def test_a_stale_edit_shows_both_values_and_keeps_the_users_own(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world)
    base = risk.version
    first = client_for(world.jfc_safety)
    second = client_for(world.bde13_safety)

    saved = _post(first, risk, base, title="Munitie in gekoelde containers")
    assert saved.status_code == 302

    stale = _post(
        second, risk, base, cause="Geen schaduw op het terrein", hazard="Hitte"
    )
    assert stale.status_code == 422
    form = stale.context["form"]
    rows = {row["name"]: row for row in form.conflicts}
    # The first user's title, beside the (older) title the second user's form held.
    assert rows["title"]["theirs"] == "Munitie in gekoelde containers"
    assert rows["title"]["yours"] == "Munitieopslag bij hoge temperaturen"
    assert rows["cause"] == {
        "name": "cause",
        "label": "oorzaak",
        "theirs": "—",
        "yours": "Geen schaduw op het terrein",
    }
    html = stale.content.decode()
    assert "Munitie in gekoelde containers" in html
    assert "Geen schaduw op het terrein" in html  # still in the form
    risk.refresh_from_db()
    assert risk.title == "Munitie in gekoelde containers"  # nothing saved yet
    assert risk.cause == ""
    # Now the form carries the version whose values it has shown.
    assert form["version"].value() == base + 1

    again = _post(
        second,
        risk,
        base + 1,
        title="Munitie in gekoelde containers",
        cause="Geen schaduw op het terrein",
        hazard="Hitte",
    )
    assert again.status_code == 302
    risk.refresh_from_db()
    assert (risk.title, risk.cause, risk.hazard) == (
        "Munitie in gekoelde containers",
        "Geen schaduw op het terrein",
        "Hitte",
    )


def test_an_edit_with_the_current_version_saves_without_a_comparison(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world)
    response = _post(client_for(world.bde13_safety), risk, risk.version, cause="Zon")
    assert response.status_code == 302
