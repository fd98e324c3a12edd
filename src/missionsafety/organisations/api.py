"""REST endpoints for organisations and the current user."""

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from missionsafety.core.api import Paging, api_user
from missionsafety.organisations.scope import current_memberships
from missionsafety.organisations.selectors import organisation_get, organisation_tree

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    echelon: int
    parent_id: int | None
    status: str
    version: int


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    role: str
    title: str
    valid_from: str | None
    valid_until: str | None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    memberships: list[MembershipOut]


@router.get("/organisations", response=list[OrganisationOut])
@paginate(Paging)
def list_organisations(request: HttpRequest, include_archived: bool = False):  # type: ignore[no-untyped-def]
    """The organisation tree in tree order (parents before children)."""
    return organisation_tree(user=api_user(request), include_archived=include_archived)


@router.get("/organisations/{org_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, org_id: int):  # type: ignore[no-untyped-def]
    return organisation_get(user=api_user(request), pk=org_id)


@router.get("/me", response=MeOut)
def me(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Who the token or session belongs to, with their current memberships."""
    user = api_user(request)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "memberships": [
            {
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.short_name,
                "role": m.role,
                "title": m.title,
                "valid_from": m.valid_from.isoformat() if m.valid_from else None,
                "valid_until": m.valid_until.isoformat() if m.valid_until else None,
            }
            for m in current_memberships(user)
        ],
    }
