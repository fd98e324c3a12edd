"""Roles that may write agreements and evaluations, and the status shorthands."""

from __future__ import annotations

from missionsafety.evaluations.models import Agreement, Evaluation

AGREEMENT_ROLES = ("safety_officer",)
EVALUATION_ROLES = ("safety_officer", "commander", "lessons_officer")
S = Agreement.Status
E = Evaluation.Status
