"""Who sees what, proved for every URL in the URL configuration.

The list of URLs comes from the resolver, so a URL added later is covered (or
this suite fails, asking for a target). Each app describes its URLs in
``missionsafety/<app>/access.py``::

    def targets(world) -> dict[str, dict]:
        # url name -> {"kwargs": {...}, "insider": user, "status": 200,
        #              "methods": ["get", "post"], "data": {...} (valid API body),
        #              "public": True (no deployment data behind it)}
        # an object of ``world.dep`` the outsider (bde43.safety) may not see
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# URLs that show no deployment data or belong to Django itself.
NO_OBJECT = {
    "home",
    "healthz",
    "service_worker",
    "field_pages",
    "offline",
    "outbox",
    "login",
    "logout",
    "set_language",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
}


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: Any, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return {n for n in names if not n.startswith("admin:")}


def call(client: Any, method: str, url: str, name: str, data: Any) -> Any:
    """Send a request; API writes carry a valid JSON body so only access decides."""
    if name.startswith("api:") and method in {"post", "patch", "put"}:
        return getattr(client, method)(url, data or {}, content_type="application/json")
    return getattr(client, method)(url, data or {})


def all_targets(world: Any) -> dict[str, dict[str, Any]]:
    targets: dict[str, dict[str, Any]] = {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("missionsafety."):
            continue
        try:
            module = import_module(f"{app}.access")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.access":
                raise
            continue
        targets.update(module.targets(world))
    return targets


@pytest.mark.django_db
def test_every_url_has_an_access_target(world: Any) -> None:
    targets = all_targets(world)
    missing = sorted(url_names() - NO_OBJECT - set(targets))
    assert not missing, (
        "These URLs have no access-control target; describe them in their app's "
        f"access.py: {missing}"
    )


@pytest.mark.django_db
def test_outsider_gets_404_everywhere(world: Any, client_for: Any) -> None:
    """bde43.safety, not a party, cannot reach any object of the deployment."""
    outsider = client_for(world.bde43_safety)
    failures = []
    for name, target in sorted(all_targets(world).items()):
        if target.get("public"):
            continue
        url = reverse(name, kwargs=target.get("kwargs", {}))
        for method in target.get("methods", ["get", "post"]):
            response = call(outsider, method, url, name, target.get("data"))
            if response.status_code != 404:
                failures.append(
                    f"{method.upper()} {url} ({name}): {response.status_code}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_insider_reaches_every_page(world: Any, client_for: Any) -> None:
    """The same URLs answer for a party's safety officer, so the 404s are real."""
    failures = []
    for name, target in sorted(all_targets(world).items()):
        insider = client_for(target.get("insider", world.bde13_safety))
        url = reverse(name, kwargs=target.get("kwargs", {}))
        expected = target.get("status", 200)
        response = insider.get(url)
        if response.status_code != expected:
            failures.append(f"GET {url} ({name}): {response.status_code} != {expected}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_auditor_reads_everything_and_writes_nothing(
    world: Any, client_for: Any
) -> None:
    inspector = client_for(world.inspector)
    failures = []
    for name, target in sorted(all_targets(world).items()):
        url = reverse(name, kwargs=target.get("kwargs", {}))
        expected = target.get("status", 200)
        if expected == 200 and not target.get("insider_only"):
            response = inspector.get(url)
            if response.status_code != 200:
                failures.append(f"GET {url} ({name}): {response.status_code}")
    assert not failures, "\n".join(failures)
    before = world.dep.phase
    response = inspector.post(
        reverse("deployments:phase", kwargs={"pk": world.dep.pk}),
        {"to_phase": "redeployment"},
    )
    world.dep.refresh_from_db()
    assert world.dep.phase == before
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(world: Any, client: Any) -> None:
    failures = []
    for name, target in sorted(all_targets(world).items()):
        url = reverse(name, kwargs=target.get("kwargs", {}))
        method = target.get("methods", ["get"])[0]
        response = call(client, method, url, name, target.get("data"))
        if name.startswith("api:"):
            ok = response.status_code == 401
        else:
            ok = response.status_code == 302 and "/login/" in response["Location"]
        if not ok and not target.get("public"):
            failures.append(f"GET {url} ({name}): {response.status_code}")
    assert not failures, "\n".join(failures)
