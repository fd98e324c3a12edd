"""The Django admin keeps the rules: refused where a rule says no, recorded always."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.forms import MultiWidget
from django.test import Client

from missionsafety.audit.models import ChangeRecord
from missionsafety.deployments.models import Deployment
from missionsafety.occurrences.models import OccurrenceCategory
from missionsafety.organisations import services as org_services
from missionsafety.organisations.models import ApiToken, User
from missionsafety.risks import services as risk_services
from missionsafety.risks.models import RiskMatrix
from missionsafety.risks.tests.factories import assess, make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world: Any) -> Client:
    root = User.objects.create_superuser("root", "root@example.org", "pw-123456789")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(root)
    return client


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def form_data(response: Any) -> dict[str, Any]:
    """What the admin's change page would send back unchanged."""
    forms = [response.context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in response.context.get("inline_admin_formsets", []):
        for field in inline.formset.management_form:
            data[field.html_name] = field.value()
        forms.extend(inline.formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if field.field.disabled or value is None:
                continue
            widget = field.field.widget
            if isinstance(widget, MultiWidget):
                for i, part in enumerate(widget.decompress(value) or []):
                    if part is not None:
                        data[f"{field.html_name}_{i}"] = _text(part)
            elif isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list):
                data[field.html_name] = value
            else:
                data[field.html_name] = _text(value)
    return data


def change(client: Client, url: str, **changes: Any) -> Any:
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {**form_data(page), **changes})


def last_record(obj: Any) -> ChangeRecord:
    record = ChangeRecord.objects.for_object(obj).order_by("seq").last()
    assert record is not None
    return record


def other_matrix(world: Any) -> RiskMatrix:
    return risk_services.matrix_new_revision(
        actor=User.objects.get(username="root"),
        matrix=RiskMatrix.objects.get(pk=world.dep.matrix_id),
    )


def test_a_used_matrix_cannot_be_switched_in_the_admin(
    world: Any, admin_client: Client
) -> None:
    assess(world, make_risk(world))
    other = other_matrix(world)
    before = ChangeRecord.objects.count()
    url = f"/admin/deployments/deployment/{world.dep.pk}/change/"
    response = change(admin_client, url, matrix=str(other.pk))
    assert response.status_code == 200
    assert "cannot be switched to another one" in response.content.decode()
    assert Deployment.objects.get(pk=world.dep.pk).matrix_id != other.pk
    assert ChangeRecord.objects.count() == before


def test_an_unused_matrix_can_be_switched_and_the_change_is_recorded(
    world: Any, admin_client: Client
) -> None:
    other = other_matrix(world)
    old = world.dep.matrix_id
    url = f"/admin/deployments/deployment/{world.dep.pk}/change/"
    assert change(admin_client, url, matrix=str(other.pk)).status_code == 302
    record = last_record(world.dep)
    assert record.action == "admin_update"
    assert (record.before, record.after) == (
        {"matrix_id": old},
        {"matrix_id": other.pk},
    )


def test_a_party_changed_in_the_admin_has_a_change_record(
    world: Any, admin_client: Client
) -> None:
    party = world.party_bn
    url = f"/admin/deployments/deployment/{world.dep.pk}/change/"
    page = admin_client.get(url)
    data = form_data(page)
    (prefix,) = [
        key.removesuffix("-id")
        for key, value in data.items()
        if key.endswith("-id") and value == str(party.pk)
    ]
    data[f"{prefix}-contact_note"] = "Kapitein Jansen, 06-12345678"
    data["name"] = "Renamed deployment"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    record = last_record(party)
    assert record.action == "admin_update"
    assert record.before == {"contact_note": party.contact_note}
    assert record.after == {"contact_note": "Kapitein Jansen, 06-12345678"}
    dep_record = last_record(world.dep)
    assert dep_record.before == {"name": world.dep.name}
    assert dep_record.after == {"name": "Renamed deployment"}


def test_a_user_changed_in_the_admin_is_recorded_without_the_password(
    world: Any, admin_client: Client
) -> None:
    user = world.jfc_safety
    url = f"/admin/organisations/user/{user.pk}/change/"
    assert change(admin_client, url, rank="kol").status_code == 302
    record = last_record(user)
    assert record.action == "admin_update"
    assert record.before == {"rank": user.rank}
    assert record.after == {"rank": "kol"}
    response = admin_client.post(
        "/admin/organisations/user/add/",
        {
            "username": "new.officer",
            "usable_password": "true",
            "password1": "Nieuw-wachtwoord-77",
            "password2": "Nieuw-wachtwoord-77",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    new = User.objects.get(username="new.officer")
    created = last_record(new)
    assert created.action == "admin_create"
    assert created.after is not None and created.after["username"] == "new.officer"
    assert new.password not in str(created.after)
    assert "password" not in created.after


def test_a_password_set_in_the_admin_revokes_tokens_and_is_recorded(
    world: Any, admin_client: Client
) -> None:
    user = world.jfc_safety
    org_services.token_create(actor=None, user=user)
    url = f"/admin/organisations/user/{user.pk}/password/"
    response = admin_client.post(
        url, {"password1": "Nieuw-wachtwoord-77", "password2": "Nieuw-wachtwoord-77"}
    )
    assert response.status_code == 302
    assert not ApiToken.objects.active().filter(user=user).exists()
    actions = list(
        ChangeRecord.objects.for_object(user).values_list("action", flat=True)
    )
    assert actions[-1] == "change_password"


def test_tokens_are_read_only_in_the_admin_and_revoked_through_the_service(
    world: Any, admin_client: Client
) -> None:
    org_services.token_create(actor=None, user=world.jfc_safety, name="script")
    token = ApiToken.objects.get(user=world.jfc_safety)
    url = f"/admin/organisations/apitoken/{token.pk}/change/"
    admin_client.post(url, {"name": "renamed"})
    token.refresh_from_db()
    assert token.name == "script"
    response = admin_client.post(
        "/admin/organisations/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert last_record(token).action == "revoke"


def test_an_occurrence_category_changed_in_the_admin_is_recorded(
    world: Any, admin_client: Client
) -> None:
    category = OccurrenceCategory.objects.order_by("number").first()
    assert category is not None
    url = f"/admin/occurrences/occurrencecategory/{category.pk}/change/"
    response = change(admin_client, url, definition_en="Harm up to EUR 60k")
    assert response.status_code == 302
    record = last_record(category)
    assert record.after == {"definition_en": "Harm up to EUR 60k"}
    assert record.before == {"definition_en": category.definition_en}


def test_a_membership_added_in_the_user_admin_is_recorded(
    world: Any, admin_client: Client
) -> None:
    user = world.jfc_safety
    url = f"/admin/organisations/user/{user.pk}/change/"
    page = admin_client.get(url)
    data = form_data(page)
    prefix = "memberships" if "memberships-TOTAL_FORMS" in data else None
    assert prefix is not None, [k for k in data if k.endswith("TOTAL_FORMS")]
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    data[f"{prefix}-{n}-organisation"] = str(world.bde13.pk)
    data[f"{prefix}-{n}-role"] = "viewer"
    data[f"{prefix}-{n}-user"] = str(user.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 302, [
        f.errors for f in response.context["inline_admin_formsets"][0].formset
    ]
    membership = user.memberships.get(organisation=world.bde13)
    record = last_record(membership)
    assert record.action == "admin_create"
    assert record.after is not None and record.after["role"] == "viewer"
