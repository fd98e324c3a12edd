"""A field package holds only records a field instance can create: a lesson of
another deployment released to all of defence names a deployment that does not
travel, so it stays at home (it made ``field init`` fail)."""

from __future__ import annotations

from typing import Any

import pytest

from missionsafety.field.tests.helpers import export
from missionsafety.lessons import services
from missionsafety.lessons.tests.conftest import R, full_odcr, make_earlier
from missionsafety.risks.tests.factories import make_risk

pytestmark = pytest.mark.django_db


def _lesson(w: Any, deployment: Any, title: str) -> Any:
    obs = services.observation_submit(
        actor=w.jfc_safety,
        deployment=deployment,
        title=f"{title} (waarneming)",
        observation="Munitie in de zon; hitte boven de 50 graden.",
        source="hot_wash",
        **full_odcr(),
    )
    services.observation_transition(
        actor=w.jfc_lessons, observation=obs, to_status="verified"
    )
    obs.refresh_from_db()
    return services.lesson_create(
        actor=w.jfc_lessons, title=title, observations=[obs], releasability="defence"
    )


def test_only_lessons_whose_deployment_travels_are_in_the_package(world: Any) -> None:
    w = world
    own = _lesson(w, w.dep, "Schaduw voor munitie")
    mali = make_earlier(
        w,
        "MINUSMA-R3",
        "Mali (Gao)",
        [(w.jfc, R.OPERATIONAL_COMMAND), (w.clas, R.FORCE_PROVIDER)],
    )
    earlier = _lesson(w, mali, "Koeling in Mali")
    # Both taken into account on a risk of this deployment.
    risk = make_risk(w, title="Munitieopslag in de zon")
    services.lesson_use_add(actor=w.bde13_safety, risk=risk, lesson=own)
    services.lesson_use_add(actor=w.bde13_safety, risk=risk, lesson=earlier)

    _data, package = export(w)
    changes = package["changes"]
    lessons = [c for c in changes if c["m"] == "lessons.lesson"]
    assert [c["v"]["title"] for c in lessons] == [own.title]
    # Every record in it names what it needs: a lesson its deployment, a use
    # the lesson or observation it takes into account.
    assert all(c["v"]["deployment"] is not None for c in lessons)
    uses = [c for c in changes if c["m"] == "lessons.lessonuse"]
    assert len(uses) == 1
    assert uses[0]["v"]["lesson"] is not None
