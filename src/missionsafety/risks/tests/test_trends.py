"""Trend charts: acceptances expiring per week, as a chart and as a table."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.risks import services
from missionsafety.risks.models import Risk
from missionsafety.risks.tests.factories import assess, make_risk

pytestmark = pytest.mark.django_db


def _accepted(world: Any, title: str, days: int) -> Risk:
    risk = make_risk(world, title=title)
    assessment = assess(world, risk, residual=("D", "III"), inherent=("B", "II"))
    services.decide(
        outcome="accept",
        actor=world.coy_commander,
        risk=risk,
        assessment=assessment,
        conditions="",
        valid_until=world.today + datetime.timedelta(days=days),
        rationale="Aanvaardbaar.",
    )
    return risk


def test_deployment_page_charts_acceptances_expiring_per_week(
    world: Any, client_for: Any
) -> None:
    _accepted(world, "Eerste", 1)
    _accepted(world, "Tweede", 1)
    expired = _accepted(world, "Derde", 1)
    Risk.objects.filter(pk=expired.pk).update(
        acceptance_expires_on=world.today - datetime.timedelta(days=3)
    )
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    page = client.get(reverse("deployments:detail", args=[world.dep.pk]))
    text = page.content.decode()
    section = text.split('id="trends"')[1].split("</section>")[0]
    assert "Acceptances expiring per week" in section
    chart = section.split("Acceptances expiring per week", 1)[1]
    chart = chart.split("</figure>")[0]
    assert "<svg" in chart
    rows = chart.split("<tbody>")[1]
    assert '<td data-label="Period">expired</td><td data-label="Number">1</td>' in rows
    monday = world.today + datetime.timedelta(days=1)
    monday -= datetime.timedelta(days=monday.weekday())
    assert (
        rows.count('<td data-label="Number">2</td>') == 1
    )  # both in the week of tomorrow


def test_overview_counts_only_visible_deployments(world: Any, client_for: Any) -> None:
    _accepted(world, "Eerste", 10)
    client = client_for(world.bde43_safety)
    client.cookies.load({"missionsafety_language": "en"})
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "No acceptances expire in the coming weeks." in page
