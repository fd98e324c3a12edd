"""Schema fuzzing: every API operation, as two roles, on the demo data, answers
without a server error and as its OpenAPI schema says.

Bounded: a fixed number of examples per operation and path object, derandomised
(the same cases each run), and a time cap for the whole run.
"""

from __future__ import annotations

import os
import time
import warnings
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Per operation and path object; FUZZ_EXAMPLES raises it for a deeper local run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
TIME_CAP_SECONDS = int(os.environ.get("FUZZ_SECONDS", "150"))  # both roles
CHECKS = [not_a_server_error, response_schema_conformance]


def path_objects() -> dict[str, list[int]]:
    """Per path parameter: objects of a deployment of the roles' brigade (seen by
    both), of another deployment (seen by the inspector only) and a missing one."""
    from missionsafety.deployments.models import Deployment, Party
    from missionsafety.evaluations.models import Evaluation
    from missionsafety.feedback.models import Thread
    from missionsafety.lessons.models import Lesson, Observation
    from missionsafety.occurrences.models import Occurrence
    from missionsafety.organisations.models import Organisation
    from missionsafety.risks.models import Consultation, Control, Risk

    models: dict[str, Any] = {
        "deployment_id": Deployment,
        "risk_id": Risk,
        "control_id": Control,
        "occurrence_id": Occurrence,
        "observation_id": Observation,
        "lesson_id": Lesson,
        "evaluation_id": Evaluation,
        "thread_id": Thread,
        "org_id": Organisation,
        "party_id": Party,
        "consultation_id": Consultation,
    }
    objects = {}
    for name, model in models.items():
        ids = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
        objects[name] = [ids[0], ids[-1], ids[-1] + 1000]
    return objects


def fuzz(user: Any, *, deadline: float) -> list[str]:
    from missionsafety.organisations.services import token_create

    token = token_create(actor=None, user=user, name="fuzz")
    # Uncompressed answers: the WSGI client does not decode gzip.
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", get_wsgi_application()
    )
    objects = path_objects()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        # Other path parameters (an import token) come from the schema.
        names = [p.name for p in operation.path_parameters if p.name in objects]
        # Seen objects, unseen or missing ones, and whatever the schema allows.
        choices = [{n: objects[n][i] for n in names} for i in range(3) if names]
        choices.append({})
        for path in choices:
            if time.monotonic() > deadline:
                # A slow machine fuzzes less rather than failing for slowness.
                warnings.warn(
                    f"fuzzing stopped at its time cap before {operation.label}",
                    stacklevel=1,
                )
                return failures

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(path_parameters=path or None))
            def run(case: Any) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Exception as exc:  # every failure is reported, not only the first
                failures.append(f"{user.username} {operation.label} {path}: {exc}")
    return failures


def test_api_answers_by_its_schema_for_an_officer_and_the_inspector(db: Any) -> None:
    from missionsafety.demo import load_all
    from missionsafety.organisations.models import User

    load_all()
    deadline = time.monotonic() + TIME_CAP_SECONDS
    failures = []
    # The WSGI application closes the database connection around each request,
    # as a server does; inside this test's transaction that would
    # end it (on PostgreSQL). Django's own test client holds it open the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        for username in ("bde13.safety", "ivd.inspector"):
            failures += fuzz(User.objects.get(username=username), deadline=deadline)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    assert not failures, "\n\n".join(failures)
