"""Who may do what with occurrences, decided once.

- Report: anyone who may write in a party to the deployment (contributor,
  safety officer, lessons officer, commander).
- Triage, investigate, follow actions: safety officers (and administrators).
  Viewers and auditors may not.
- Personal data (names, medical details): the commander and safety officers of
  the reporting unit and of the organisations above it up to and including its
  formation (brigade or higher), and the inspectorate (auditors). Nobody else,
  not even other parties to the deployment.
"""

from __future__ import annotations

from typing import Any

from missionsafety.organisations.scope import (
    FORMATION_ECHELON,
    current_memberships,
    is_auditor,
)

REPORTING_ROLES = ("contributor", "safety_officer", "lessons_officer", "commander")
TRIAGE_ROLES = ("safety_officer",)
PERSONAL_DATA_ROLES = {"commander", "safety_officer"}


def unit_chain_ids(unit: Any) -> list[int]:
    """The unit and its ancestors up to and including the nearest formation."""
    from missionsafety.organisations.models import Organisation

    ancestors = list(reversed(unit.ancestor_ids))
    echelons = dict(
        Organisation.objects.filter(pk__in=ancestors).values_list("pk", "echelon")
    )
    chain: list[int] = []
    for org_id in ancestors:
        chain.append(org_id)
        if echelons.get(org_id, 0) >= FORMATION_ECHELON:
            break
    return chain


def may_see_personal_data(user: Any, occurrence: Any) -> bool:
    """Whether the user may read the names and medical details of an occurrence."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or is_auditor(user):
        return True
    memberships = [
        m for m in current_memberships(user) if m.role in PERSONAL_DATA_ROLES
    ]
    if not memberships:
        return False
    chain = set(unit_chain_ids(occurrence.unit))
    return any(m.organisation_id in chain for m in memberships)


def may_edit_personal_data(user: Any, occurrence: Any) -> bool:
    """Auditors read personal data; only the unit's chain records it."""
    if is_auditor(user) and not user.is_superuser:
        return False
    return may_see_personal_data(user, occurrence)
