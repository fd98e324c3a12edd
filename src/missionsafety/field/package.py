"""The field package: made at home for one deployment, started in the field."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.core import serializers
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change
from missionsafety.core.exceptions import NotAllowed
from missionsafety.field.envelope import (
    BundleRefused,
    new_key,
    open_header,
    seal,
    verify,
)
from missionsafety.field.models import Instance
from missionsafety.field.services import (
    _store_shadows,
    apply_changes,
    collect,
    home_instance,
    token_digest,
)
from missionsafety.field.travel import KINDS

PACKAGE_MAGIC = "MSFP1"
# Primary keys made in field instance n start at n × ID_BLOCK, risk numbers at
# n × RISK_NUMBER_BLOCK: what home and field hand out never collides.
ID_BLOCK = 100_000_000
# Shared reference data carried whole (replacing what migrations seeded).
REFERENCE_MODELS = [
    "organisations.Organisation",
    "risks.RiskMatrix",
    "risks.AcceptanceRule",
    "risks.HazardCategory",
    "risks.Hazard",
    "occurrences.OccurrenceCategory",
    "evaluations.ProcessStep",
    "evaluations.EvaluationTemplate",
]
EXPORT_PARTY_ROLES = ("deployed_unit", "parent_brigade")


def may_export(user: Any, deployment: Any) -> bool:
    """A safety officer of the deployed unit or its brigade, or of a unit below
    them (or an administrator). No query: the user's memberships and the
    deployment's parties are read once per request."""
    from missionsafety.organisations.scope import current_memberships

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    orgs = {
        p.organisation_id for p in deployment.party_list if p.role in EXPORT_PARTY_ROLES
    }
    return any(
        m.role in ("safety_officer", "administrator")
        and orgs.intersection(m.organisation.ancestor_ids)
        for m in current_memberships(user)
    )


def _people(deployment: Any, states: dict[str, dict[str, Any]]) -> set[str]:
    """Usernames travelling: members of the parties (and of the deployed unit's
    and brigade's units below them), and everyone the records name."""
    from missionsafety.organisations.models import Membership, Organisation

    party_orgs = set(deployment.parties.values_list("organisation_id", flat=True))
    own = set(
        deployment.parties.filter(role__in=EXPORT_PARTY_ROLES).values_list(
            "organisation_id", flat=True
        )
    )
    frontier = set(own)
    while frontier:
        frontier = (
            set(
                Organisation.objects.filter(parent_id__in=frontier).values_list(
                    "pk", flat=True
                )
            )
            - own
        )
        own |= frontier
    names = set(
        Membership.objects.filter(organisation_id__in=party_orgs | own).values_list(
            "user__username", flat=True
        )
    )
    for state in states.values():
        for value in state.values():
            refs = value if isinstance(value, list) else [value]
            for ref in refs:
                key = ref.get("r") if isinstance(ref, dict) else None
                if key and len(key) == 1 and isinstance(key[0], str):
                    names.add(key[0])
    return names


def _reference(usernames: set[str]) -> str:
    from django.apps import apps

    from missionsafety.organisations.models import Membership, User

    objects: list[models.Model] = []
    for label in REFERENCE_MODELS:
        objects.extend(apps.get_model(label)._base_manager.order_by("pk"))
    users = list(User.objects.filter(username__in=usernames).order_by("pk"))
    for user in users:
        user.password = "!"  # never a password: set at first start
    objects.extend(users)
    objects.extend(Membership.objects.filter(user__in=users).order_by("pk"))
    return serializers.serialize("json", objects)


@transaction.atomic
def package_export(*, actor: Any, deployment: Any, url: str = "") -> bytes:
    """Sign a field package for one deployment and register its field instance."""
    if not may_export(actor, deployment):
        raise NotAllowed(
            _(
                "A field package is made by a safety officer of the deployed unit "
                "or its brigade."
            )
        )
    me = home_instance()
    if me.role != Instance.Role.HOME:
        raise NotAllowed(_("A field instance cannot make field packages."))
    private, public = new_key()
    token = secrets.token_urlsafe(32)
    number = Instance.objects.filter(role=Instance.Role.FIELD).count() + 1
    field = Instance.objects.create(
        role=Instance.Role.FIELD,
        name=f"{deployment.code} field {number}",
        deployment=deployment,
        number=number,
        public_key=public,
        token_hash=token_digest(token),
    )
    changes, shadows = collect(me=me, peer=field, deployment=deployment)
    _store_shadows(field, shadows)
    from missionsafety.audit.models import AuditHead

    head = AuditHead.objects.filter(pk=1).values_list("last_seq", flat=True).first()
    Instance.objects.filter(pk=field.pk).update(audit_seq=head or 0)
    body = {
        "format": 1,
        "home": {
            "uuid": str(me.uuid),
            "name": me.name,
            "public_key": me.public_key,
            "url": url,
        },
        "field": {
            "uuid": str(field.uuid),
            "name": field.name,
            "number": number,
            "private_key": private,
            "public_key": public,
        },
        "token": token,
        "deployment": deployment.code,
        "reference": _reference(_people(deployment, shadows)),
        "changes": changes,
        "created_at": timezone.now().isoformat(),
        "created_by": str(actor),
    }
    record_change(
        actor=actor,
        obj=deployment,
        action="field_export",
        after={"instance": str(field.uuid), "records": len(changes)},
    )
    return seal(PACKAGE_MAGIC, str(me.uuid), body, me.private_key)


def package_read(data: bytes, *, home_key: str | None = None) -> dict[str, Any]:
    """The package's content once its signature holds (with the home key
    given, or the one it carries when none is)."""
    _sender, header, signature, payload = open_header(PACKAGE_MAGIC, data)
    import gzip
    import zlib

    try:
        unverified = json.loads(gzip.decompress(payload))
        carried = unverified["home"]["public_key"]
    except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError):
        raise BundleRefused(
            _("The package is incomplete (cut off in transfer) or damaged.")
        ) from None
    return verify(header, signature, payload, home_key or carried)


@transaction.atomic
def package_init(*, data: bytes, home_key: str | None = None) -> dict[str, str]:
    """Fill an empty database from a package; returns one-time login codes."""
    from django.apps import apps

    from missionsafety.organisations.models import User

    body = package_read(data, home_key=home_key)
    if Instance.objects.exists():
        raise BundleRefused(_("This database already holds an instance."))
    if apps.get_model("deployments.Deployment")._base_manager.exists():
        raise BundleRefused(
            _("A field instance starts from an empty database; this one is not.")
        )
    for label in reversed(REFERENCE_MODELS):
        apps.get_model(label)._base_manager.all().delete()
    for item in serializers.deserialize("json", body["reference"]):
        item.save()
    home = Instance.objects.create(
        role=Instance.Role.HOME,
        uuid=body["home"]["uuid"],
        name=body["home"]["name"],
        public_key=body["home"]["public_key"],
        url=body["home"].get("url", ""),
        token=body["token"],
    )
    me = Instance.objects.create(
        role=Instance.Role.FIELD,
        uuid=body["field"]["uuid"],
        name=body["field"]["name"],
        number=body["field"]["number"],
        is_self=True,
        public_key=body["field"]["public_key"],
        private_key=body["field"]["private_key"],
    )
    apply_changes(me=me, peer=home, deployment=None, changes=body["changes"], seq=0)
    deployment = apps.get_model("deployments.Deployment")._base_manager.get(
        code=body["deployment"]
    )
    Instance.objects.filter(pk__in=[me.pk, home.pk]).update(deployment=deployment)
    start_blocks(me.number)
    codes = {}
    for user in User.objects.all():
        code = secrets.token_urlsafe(9)
        user.set_password(code)
        user.save(update_fields=["password"])
        codes[user.username] = code
    (settings.DATA_DIR / "field_instance_number").write_text(str(me.number))
    record_change(
        actor="field init",
        obj=me,
        action="field_init",
        after={"home": str(home.uuid), "records": len(body["changes"])},
        deployment_id=deployment.pk,
    )
    return codes


def start_blocks(number: int) -> None:
    """Make new primary keys of travelling records start in this instance's block."""
    start = number * ID_BLOCK
    with connection.cursor() as cursor:
        for kind in KINDS:
            table = kind.model._meta.db_table
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                    [table, start],
                )
            elif connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [table, start],
                )
