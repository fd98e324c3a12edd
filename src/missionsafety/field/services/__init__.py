"""Every write of the field app: bundles made and applied, conflicts resolved.

Split by sub-concept: ``instances`` (this instance and its peers),
``bundles`` (making, checking and applying signed bundles), ``merge`` (the
changes of a bundle applied field by field) and ``conflicts`` (resolving
what both sides changed).
"""

from __future__ import annotations

from missionsafety.field.services.bundles import (
    _store_shadows,
    bundle_apply,
    bundle_check,
    bundle_make,
    collect,
)
from missionsafety.field.services.conflicts import RESOLVE_ROLES, conflict_resolve
from missionsafety.field.services.instances import (
    BUNDLE_MAGIC,
    FORMAT,
    IMPORT_ACTION,
    deployment_of,
    home_instance,
    self_instance,
    token_digest,
    waiting_count,
)
from missionsafety.field.services.merge import ApplyResult, apply_changes

__all__ = [
    "BUNDLE_MAGIC",
    "FORMAT",
    "IMPORT_ACTION",
    "RESOLVE_ROLES",
    "ApplyResult",
    "_store_shadows",
    "apply_changes",
    "bundle_apply",
    "bundle_check",
    "bundle_make",
    "collect",
    "conflict_resolve",
    "deployment_of",
    "home_instance",
    "self_instance",
    "token_digest",
    "waiting_count",
]
