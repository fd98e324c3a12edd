"""What every installation ships with, gathered from the apps.

The data migrations install it once; a flushed database (``generate --reset``,
transactional tests) gets it back from here.
"""

from __future__ import annotations

from django.apps import apps


def install_defaults() -> None:
    """Install the shipped matrices, rules, categories, hazard library, process
    steps and evaluation templates where they are missing."""
    from missionsafety.evaluations.defaults import install as install_evaluations
    from missionsafety.occurrences.defaults import install_categories
    from missionsafety.risks.defaults import install as install_risks
    from missionsafety.risks.library import install_library

    install_risks(apps)
    install_library(apps)
    install_categories(apps.get_model("occurrences", "OccurrenceCategory"))
    install_evaluations(apps)
