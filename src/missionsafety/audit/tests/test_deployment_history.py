"""A deployment's full history: every change under it, in words, exportable."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.risks.tests.factories import assess, make_risk

pytestmark = pytest.mark.django_db


def test_full_history_names_fields_and_hides_what_did_not_change(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world)
    assess(world, risk)
    client = client_for(world.inspector)
    client.cookies.load({"missionsafety_language": "en"})
    url = reverse("audit:deployment", kwargs={"deployment_pk": world.dep.pk})
    html = client.get(url).content.decode()
    # The risk's title is the library's: it reads in the reader's language.
    assert "Ammunition storage in heat" in html
    assert ">assessed<" in html  # the action in words
    assert ">status<" in html and "awaiting decision" in html  # choice label
    assert ">owner_party_id<" not in html and ">owner party<" in html
    assert ">created_at<" not in html


def test_history_export_is_csv_with_the_hash_chain(world: Any, client_for: Any) -> None:
    make_risk(world)
    url = reverse("audit:deployment_csv", kwargs={"deployment_pk": world.dep.pk})
    response = client_for(world.bde13_safety).get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) > 3
    assert any("Munitieopslag bij hoge temperaturen" in row[4] for row in rows[1:])
    seqs = [int(row[0]) for row in rows[1:]]
    assert seqs == sorted(seqs)  # oldest first, as the chain runs


def test_the_full_history_is_not_for_outsiders(world: Any, client_for: Any) -> None:
    for name in ("audit:deployment", "audit:deployment_csv"):
        url = reverse(name, kwargs={"deployment_pk": world.dep.pk})
        assert client_for(world.bde43_safety).get(url).status_code == 404
