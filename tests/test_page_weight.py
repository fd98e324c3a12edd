"""Every page of the demo stays light enough for a 256 kbit/s satellite link.

For each demo user, every page reachable with a GET — URLs without arguments,
URLs whose argument is an organisation (every one of the demo), a deployment
(a sample: the largest registers and the most occurrences) or one object (the
newest risk, occurrence, observation, …) — must transfer under 60 KB: the HTML as compressed by the server plus the CSS, JavaScript
and images it references, compressed (as WhiteNoise serves them; a cold
cache, so every asset counts). The list of pages comes from the URL
configuration, so a page added later is weighed too.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

BUDGET = 60 * 1024

# Not pages: Django admin, the JSON API, actions and probes.
NOT_PAGES = ("admin:", "api:")
NOT_PAGE_NAMES = {
    "logout",
    "set_language",
    "healthz",
    # Documents to download, not pages to read over the link; rendering every
    # PDF for every user and deployment would take most of this test's time.
    "audit:deployment_csv",
    "evaluations:agreement_pdf",
    "field:package",
    "reports:register_xlsx",
    "reports:risk_picture_pdf",
    "reports:worksheets_pdf",
    "risks:import_template",
}
ASSET = re.compile(
    r'<(?:link[^>]+rel="stylesheet"[^>]*href|script[^>]+src|img[^>]+src)="([^"]+)"'
)


def url_patterns() -> list[tuple[str, tuple[str, ...]]]:
    """Every named URL with the names of its arguments."""
    found: list[tuple[str, tuple[str, ...]]] = []

    def walk(patterns: Any, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(
                    p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix
                )
            elif isinstance(p, URLPattern) and p.name:
                found.append((prefix + p.name, tuple(p.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


# Pages about one object, weighed on one sample object (the one with the most
# rows hanging below it is what makes a page heavy, so take the newest of the
# largest deployment where that is cheap to tell; the newest otherwise).
OBJECT_PAGES = {
    "risks:detail": "risks.Risk",
    "risks:edit": "risks.Risk",
    "risks:assess": "risks.Risk",
    "risks:decide": "risks.Risk",
    "risks:consult": "risks.Risk",
    "risks:control_add": "risks.Risk",
    "risks:attachment_add": "risks.Risk",
    "risks:control_edit": "risks.Control",
    "risks:consultation": "risks.Consultation",
    "risks:matrix": "risks.RiskMatrix",
    "occurrences:detail": "occurrences.Occurrence",
    "occurrences:edit": "occurrences.Occurrence",
    "occurrences:triage": "occurrences.Occurrence",
    "occurrences:action_add": "occurrences.Occurrence",
    "occurrences:person_add": "occurrences.Occurrence",
    "occurrences:attachment_add": "occurrences.Occurrence",
    "lessons:observation_detail": "lessons.Observation",
    "lessons:observation_edit": "lessons.Observation",
    "lessons:lesson_detail": "lessons.Lesson",
    "lessons:lesson_edit": "lessons.Lesson",
    "feedback:thread": "feedback.Thread",
    "evaluations:detail": "evaluations.Evaluation",
    "evaluations:hold": "evaluations.Evaluation",
    "evaluations:report": "evaluations.Evaluation",
}


def sample_object(label: str) -> int | None:
    from django.apps import apps

    model = apps.get_model(label)
    return model._default_manager.order_by("-pk").values_list("pk", flat=True).first()


def fillings(
    name: str, args: tuple[str, ...], demo: dict[str, list[int]]
) -> Iterator[dict[str, Any]] | None:
    """Argument values for a URL (a sample of the demo), or None when this
    test cannot fill them."""
    if not args:
        return iter([{}])
    namespace = name.split(":")[0] if ":" in name else ""
    if args == ("pk",) and name in OBJECT_PAGES:
        pk = sample_object(OBJECT_PAGES[name])
        return iter([{"pk": pk}] if pk is not None else [])
    if args == ("pk",) and namespace == "deployments":
        return ({"pk": pk} for pk in demo["deployments"])
    if args == ("deployment_pk",):
        return ({"deployment_pk": pk} for pk in demo["deployments"])
    if args == ("pk",) and namespace == "organisations":
        return ({"pk": pk} for pk in demo["organisations"])
    if set(args) == {"model", "pk"} and name == "audit:history":
        return (
            {"model": "deployments.deployment", "pk": pk} for pk in demo["deployments"]
        )
    return None


def compressed_size(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=9))


def asset_size(url: str, cache: dict[str, int]) -> int:
    if url not in cache:
        if not url.startswith(settings.STATIC_URL):
            cache[url] = 0  # data: URIs are inside the HTML already
        else:
            path = finders.find(url[len(settings.STATIC_URL) :].split("?")[0])
            assert path, f"referenced static file not found: {url}"
            with open(path, "rb") as f:
                cache[url] = compressed_size(f.read())
    return cache[url]


def transferred(response: Any, cache: dict[str, int]) -> tuple[int, int]:
    """(bytes for the HTML as sent, bytes for the assets it references)."""
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        html_bytes = len(body)
        html = gzip.decompress(body).decode()
    else:
        html_bytes = compressed_size(body)
        html = body.decode()
    assets = sum(asset_size(u, cache) for u in sorted(set(ASSET.findall(html))))
    return html_bytes, assets


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    from django.db.models import Count

    from missionsafety.demo import DEMO_USERS, load_all
    from missionsafety.deployments.models import Deployment
    from missionsafety.organisations.models import Organisation, User

    load_all()
    return {
        "users": [User.objects.get(username=name) for name, _who in DEMO_USERS],
        # A sample per URL pattern: the two deployments with the largest
        # registers (the heaviest pages) and the one with the most occurrences.
        "deployments": sorted(
            {
                *Deployment.objects.annotate(n=Count("risks"))
                .order_by("-n", "pk")
                .values_list("pk", flat=True)[:2],
                *Deployment.objects.annotate(n=Count("occurrences"))
                .order_by("-n", "pk")
                .values_list("pk", flat=True)[:1],
            }
        ),
        "organisations": list(
            Organisation.objects.order_by("pk").values_list("pk", flat=True)
        ),
    }


def test_every_demo_page_is_under_60_kb_for_every_demo_user(
    demo: dict[str, Any],
) -> None:
    pages: list[tuple[str, str]] = []
    unfilled: list[str] = []
    for name, args in url_patterns():
        if name.startswith(NOT_PAGES) or name in NOT_PAGE_NAMES:
            continue
        filled = fillings(name, args, demo)
        if filled is None:
            unfilled.append(f"{name}({', '.join(args)})")
            continue
        pages += [(name, reverse(name, kwargs=kwargs)) for kwargs in filled]
    # Shown with -rA or on failure: pages this test cannot reach by itself.
    print("not weighed (arguments this test cannot fill):", ", ".join(unfilled))

    cache: dict[str, int] = {}
    heavy: list[str] = []
    weighed = 0
    heaviest = (0, "")
    for user in demo["users"]:
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        client.force_login(user)
        for name, url in pages:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get(
                "Content-Type", ""
            ):
                continue  # not a page for this user (404, 405, a redirect)
            html, assets = transferred(response, cache)
            weighed += 1
            total = html + assets
            heaviest = max(heaviest, (total, f"{url} as {user.username}"))
            if total > BUDGET:
                heavy.append(
                    f"{url} ({name}) as {user.username}: {total / 1024:.1f} KB "
                    f"(HTML {html / 1024:.1f} KB + assets {assets / 1024:.1f} KB)"
                )
    print(
        f"weighed {weighed} pages; heaviest {heaviest[0] / 1024:.1f} KB: {heaviest[1]}"
    )
    assert weighed >= len(demo["users"]) * 3, (
        "too few pages answered; is the demo loaded?"
    )
    assert not heavy, "Pages over 60 KB transferred:\n" + "\n".join(heavy)


def test_login_page_is_light_for_a_first_visit(db: Any) -> None:
    """The first page on a thin link: HTML, CSS and JavaScript together."""
    response = Client(HTTP_ACCEPT_ENCODING="gzip").get(reverse("login"))
    html, assets = transferred(response, {})
    assert response.status_code == 200
    assert html + assets < BUDGET


def test_pages_are_sent_compressed(demo: dict[str, Any]) -> None:
    client = Client(HTTP_ACCEPT_ENCODING="gzip, br")
    client.force_login(demo["users"][0])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
