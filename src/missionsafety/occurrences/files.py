"""Which attachments an occurrence accepts, and how large they may be: the one
policy of the risks app (risks, controls and occurrences accept the same files)."""

from __future__ import annotations

from missionsafety.risks.files import ALLOWED, check_attachment

__all__ = ["ALLOWED", "check_attachment"]
