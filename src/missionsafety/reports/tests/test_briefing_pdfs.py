"""Briefing PDFs: the risk picture and the risk worksheets, in both languages."""

from __future__ import annotations

import io
import os
import re
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from missionsafety.occurrences.services import rebuild_month_counts
from missionsafety.occurrences.tests.factories import bulk_occurrences
from missionsafety.risks import services
from missionsafety.risks.tests.factories import assess, make_risk

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    keep = os.environ.get("MS_KEEP_PDF")  # to look at them as images
    if keep:
        name = response["Content-Disposition"].split('"')[1]
        with open(os.path.join(keep, name), "wb") as f:
            f.write(response.content)
    # Words as a reader sees them, whatever the line breaks of the layout.
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def _pages(response: Any) -> int:
    return len(PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def accepted(world: Any) -> Any:
    risk = make_risk(
        world,
        title="Munitieopslag in de containers bij hitte",
        controls=[
            {
                "description": "Koelcontainers plaatsen",
                "kind": "engineer",
                "owner_party": world.party_bn,
            }
        ],
    )
    assessment = assess(world, risk, residual=("D", "III"), inherent=("B", "II"))
    services.decide(
        outcome="accept",
        actor=world.coy_commander,
        risk=risk,
        assessment=assessment,
        conditions="",
        valid_until=None,
        rationale="Restrisico aanvaardbaar met koeling.",
    )
    risk.refresh_from_db()
    return risk


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "nl",
            [
                "Risicobeeld",
                "Fase",
                "pagina 1 van",
                "Voorvallen per maand en categorie",
                "Aanvaardingen die per week verlopen",
            ],
        ),
        (
            "en",
            [
                "Risk picture",
                "Phase",
                "page 1 of",
                "Occurrences per month and category",
                "Acceptances expiring per week",
            ],
        ),
    ],
)
def test_risk_picture_in_both_languages(
    world: Any,
    client_for: Any,
    settings: Any,
    accepted: Any,
    language: str,
    words: list[str],
) -> None:
    settings.DOCUMENT_MARKING = "DEPARTEMENTAAL VERTROUWELIJK"
    stopped = make_risk(world, title="Konvooi over de E67")
    assess(world, stopped)
    bulk_occurrences(world.dep, world.bn, 2)
    rebuild_month_counts()
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": language})
    response = client.get(
        reverse("reports:risk_picture_pdf", kwargs={"deployment_pk": world.dep.pk})
    )
    text = _text(response)
    for word in words:
        assert word in text
    assert "EFP-R12" in text
    assert text.count("DEPARTEMENTAAL VERTROUWELIJK") >= 2  # header and footer
    assert "Munitieopslag in de containers bij hitte" in text
    assert "Koelcontainers plaatsen" in text
    assert "Konvooi over de E67" in text  # awaiting decision
    assert 1 <= _pages(response) <= 3


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Risicowerkblad", "Aanvaarding", "Bevoegdheid", "Geldig tot"]),
        ("en", ["Risk worksheet", "Acceptance", "Authority", "Valid until"]),
    ],
)
def test_worksheet_of_a_risk_in_both_languages(
    world: Any, client_for: Any, accepted: Any, language: str, words: list[str]
) -> None:
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": language})
    response = client.get(reverse("reports:worksheet_pdf", kwargs={"pk": accepted.pk}))
    text = _text(response)
    for word in words:
        assert word in text
    assert "R-001" in text
    assert "Munitie in zeecontainers warmt op" in text  # the hazard
    assert "Koelcontainers plaatsen" in text  # a control with who implements it
    assert "42 BLJ" in text
    assert str(world.coy_commander.get_full_name()) in text  # who accepted
    assert _pages(response) == 1


def test_register_worksheets_one_risk_per_page(
    world: Any, client_for: Any, accepted: Any
) -> None:
    make_risk(world, title="Tweede risico")
    make_risk(world, title="Derde risico")
    response = client_for(world.bde13_safety).get(
        reverse("reports:worksheets_pdf", kwargs={"deployment_pk": world.dep.pk})
    )
    text = _text(response)
    assert _pages(response) == 3
    assert "Tweede risico" in text and "Derde risico" in text


@pytest.mark.parametrize(
    ("language", "page", "of"), [("en", "page", "of"), ("nl", "pagina", "van")]
)
def test_large_register_laid_out_in_parts_keeps_order_and_page_numbers(
    world: Any,
    client_for: Any,
    settings: Any,
    monkeypatch: Any,
    accepted: Any,
    language: str,
    page: str,
    of: str,
) -> None:
    from missionsafety.reports import briefing

    settings.DOCUMENT_MARKING = "DEPARTEMENTAAL VERTROUWELIJK"
    monkeypatch.setattr(briefing, "PARALLEL_MIN_RISKS", 3)
    monkeypatch.setattr(briefing, "PROCESSES", 3)
    parts: list[int] = []
    chunks = briefing._chunks

    def spy(risks: list[Any], n: int) -> list[list[Any]]:
        out = chunks(risks, n)
        parts.extend(len(c) for c in out)
        return out

    monkeypatch.setattr(briefing, "_chunks", spy)
    titles = [accepted.title] + [f"Gevaar nummer {i}" for i in range(2, 8)]
    for title in titles[1:]:
        make_risk(world, title=title)
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": language})
    response = client.get(
        reverse("reports:worksheets_pdf", kwargs={"deployment_pk": world.dep.pk})
    )
    assert parts == [3, 2, 2]  # laid out in three parts
    assert response.status_code == 200
    pages = [
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(response.content)).pages
    ]
    assert len(pages) == 7
    for n, text in enumerate(pages, start=1):
        # Each risk once, in the register's order, on its own page.
        assert f"R-{n:03d}" in text
        assert titles[n - 1] in text
        assert [t for t in titles if t in text] == [titles[n - 1]]
        assert f"{page} {n} {of} 7" in text
        assert text.count("DEPARTEMENTAAL VERTROUWELIJK") == 2
        assert "EFP-R12" in text


def test_parts_with_a_two_page_worksheet_count_pages_again(
    world: Any, client_for: Any, monkeypatch: Any
) -> None:
    from missionsafety.reports import briefing

    monkeypatch.setattr(briefing, "PARALLEL_MIN_RISKS", 3)
    monkeypatch.setattr(briefing, "PROCESSES", 2)
    make_risk(world, title="Eerste risico")
    make_risk(
        world,
        title="Risico met veel maatregelen",
        controls=[
            {
                "description": f"Maatregel nummer {i} met een lange omschrijving",
                "kind": "engineer",
                "owner_party": world.party_bn,
            }
            for i in range(1, 61)
        ],
    )
    for title in ("Derde risico", "Vierde risico", "Vijfde risico"):
        make_risk(world, title=title)
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": "en"})
    response = client.get(
        reverse("reports:worksheets_pdf", kwargs={"deployment_pk": world.dep.pk})
    )
    pages = [
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(response.content)).pages
    ]
    total = len(pages)
    assert total > 5  # the second risk's controls run onto a further page
    for n, text in enumerate(pages, start=1):
        assert f"page {n} of {total}" in text
    starts = [n for n, text in enumerate(pages) if "Risk worksheet R-" in text]
    assert [pages[n].split("Risk worksheet ")[1][:5] for n in starts] == [
        "R-001",
        "R-002",
        "R-003",
        "R-004",
        "R-005",
    ]
    assert "Maatregel nummer 60 " in " ".join(pages)


def test_pdfs_of_a_deployment_one_may_not_see_are_404(
    world: Any, client_for: Any, accepted: Any
) -> None:
    outsider = client_for(world.bde43_safety)
    for url in (
        reverse("reports:risk_picture_pdf", kwargs={"deployment_pk": world.dep.pk}),
        reverse("reports:worksheets_pdf", kwargs={"deployment_pk": world.dep.pk}),
        reverse("reports:worksheet_pdf", kwargs={"pk": accepted.pk}),
    ):
        assert outsider.get(url).status_code == 404


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("nl", ["op tijd gehouden", "te laat gehouden", "overgeslagen", "komend"]),
        ("en", ["held on time", "held late", "skipped", "upcoming"]),
    ],
)
def test_risk_picture_evaluation_counts_read_as_number_and_word(
    world: Any, client_for: Any, language: str, counts: list[str]
) -> None:
    client = client_for(world.bde13_safety)
    client.cookies.load({"missionsafety_language": language})
    response = client.get(
        reverse("reports:risk_picture_pdf", kwargs={"deployment_pk": world.dep.pk})
    )
    text = _text(response)
    for label in counts:
        # "3 upcoming", not "3upcoming": the count and its label apart.
        assert re.search(rf"\b\d+ {label}\b", text), (label, text)
