"""Builders for the field tests: a small register, a package, a forged peer."""

from __future__ import annotations

from typing import Any

from missionsafety.field.envelope import seal
from missionsafety.field.package import package_export, package_read
from missionsafety.field.services import BUNDLE_MAGIC
from missionsafety.risks import services
from missionsafety.risks.models import Risk


def register(w: Any) -> dict[str, Risk]:
    """Three risks: one to edit on both sides, one awaiting a decision (L),
    one assessed L with three controls of the deployed unit."""

    def risk(title: str) -> Risk:
        return services.risk_create(
            actor=w.bde13_safety,
            deployment=w.dep,
            title=title,
            hazard="Gevaar",
            cause="Oorzaak",
            owner_party=w.party_bn,
        )

    def assess(r: Risk) -> None:
        services.assessment_record(
            actor=w.bde13_safety,
            risk=Risk.objects.get(pk=r.pk),
            inherent_probability="C",
            inherent_severity="III",
            residual_probability="D",
            residual_severity="III",
        )

    edited, waiting, patrol = (
        risk("Munitieopslag"),
        risk("Wachtpost"),
        risk("Patrouille"),
    )
    assess(waiting)
    for n in range(3):
        services.control_add(
            actor=w.bde13_safety,
            risk=patrol,
            description=f"Maatregel {n + 1}",
            kind="administrate",
            owner_party=w.party_bn,
        )
    assess(patrol)
    return {"edited": edited, "waiting": waiting, "patrol": patrol}


def export(w: Any, url: str = "") -> tuple[bytes, dict[str, Any]]:
    data = package_export(actor=w.bde13_safety, deployment=w.dep, url=url)
    return data, package_read(data)


def forge(
    package: dict[str, Any],
    changes: list[dict[str, Any]],
    *,
    seq: int = 1,
    deployment: str | None = None,
    receiver: str | None = None,
) -> bytes:
    """A bundle as the field instance of the package would sign it."""
    body = {
        "format": 1,
        "sender": package["field"]["uuid"],
        "receiver": receiver or package["home"]["uuid"],
        "deployment": deployment or package["deployment"],
        "seq": seq,
        "created_at": "2026-01-01T00:00:00+00:00",
        "changes": changes,
    }
    return seal(
        BUNDLE_MAGIC, package["field"]["uuid"], body, package["field"]["private_key"]
    )


def risk_change(
    package: dict[str, Any], title: str, *, field: str, old: Any, new: Any
) -> dict[str, Any]:
    """A field edit of one risk of the package, by its identity."""
    for change in package["changes"]:
        if change["m"] == "risks.risk" and change["v"]["title"] == title:
            return {
                "m": "risks.risk",
                "id": change["id"],
                "pk": change["pk"],
                "op": "update",
                "v": {field: new},
                "b": {field: old},
                "a": "bde13.safety",
                "t": "2026-01-01T00:00:00+00:00",
            }
    raise AssertionError(title)
