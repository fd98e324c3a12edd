"""Demo observations and lessons of earlier, fictional deployments.

Everything goes through the services, so the audit trail shows each object
being submitted, verified, grouped and moved by a demo user (on the day the
demo was loaded; ``observed_on`` and ``identified_on`` carry the historical
dates). Content is generated from templates with variation so that search
and suggestions have something to find.
"""

from __future__ import annotations

from missionsafety.lessons.demo.content import (
    EARLIER,
    FUZE_TITLE,
    MONTHS,
    PLACES,
    TEMPLATES,
    VEHICLES,
    R,
)
from missionsafety.lessons.demo.loading import load

__all__ = [
    "EARLIER",
    "FUZE_TITLE",
    "MONTHS",
    "PLACES",
    "TEMPLATES",
    "VEHICLES",
    "R",
    "load",
]
