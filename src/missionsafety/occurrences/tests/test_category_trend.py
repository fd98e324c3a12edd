"""Occurrences per month and category: a chart with its table on the deployment
page, the overview and the risk picture, in one grouped query."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from missionsafety.occurrences.selectors import occurrences_per_month_and_category
from missionsafety.occurrences.services import rebuild_month_counts
from missionsafety.occurrences.tests.factories import bulk_occurrences

pytestmark = pytest.mark.django_db


def test_counts_per_month_and_category_in_one_query(
    world: Any, django_assert_num_queries: Any
) -> None:
    bulk_occurrences(world.dep, world.bn, 7)  # categories 0 1 2 3 4 0 1
    bulk_occurrences(world.other, world.bde43, 3)  # another deployment
    occurrences_per_month_and_category(user=world.bde13_safety)  # whose scope
    with translation.override("en"), django_assert_num_queries(1):
        chart = occurrences_per_month_and_category(
            user=world.bde13_safety, deployment=world.dep
        )
    assert chart["columns"] == [f"category {n}" for n in range(5)]
    with translation.override("en"):
        this_month = date_format(timezone.localdate(), "F Y")
    assert chart["rows"][-1]["label"] == this_month
    per_category = [sum(r["cells"][i] for r in chart["rows"]) for i in range(5)]
    assert per_category == [2, 2, 1, 1, 1]
    assert chart["total"] == 7
    assert "<svg" in chart["svg"]


def test_chart_and_table_on_the_deployment_page_and_in_the_risk_picture(
    world: Any, client_for: Any
) -> None:
    bulk_occurrences(world.dep, world.bn, 3, category=2)
    rebuild_month_counts()  # as the services keep them
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    page = client.get(reverse("deployments:detail", args=[world.dep.pk]))
    section = page.content.decode().split('id="occurrence-categories"')[1]
    section = section.split("</figure>")[0]
    assert "Occurrences per month and category" in section
    assert (
        "<th>category 2</th>" in section
        and '<td data-label="category 2">3</td>' in section
    )
    client.cookies.load({"missionsafety_language": "nl"})
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Voorvallen per maand en categorie" in page
    assert "<th>categorie 2</th>" in page
