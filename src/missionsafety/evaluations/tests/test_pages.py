"""List pages keep a constant number of queries; panels show on other pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from missionsafety.evaluations import selectors, services
from missionsafety.evaluations.models import EvaluationTemplate


def _more_moments(world: Any, n: int) -> None:
    template = EvaluationTemplate.objects.get(code="aar")
    for i in range(n):
        services.evaluation_create(
            actor=world.jfc_safety,
            deployment=world.dep,
            template=template,
            title=f"AAR oefening {i}",
        )


def test_deployment_evaluations_page_query_count(
    world: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(world.bde13_safety)
    url = reverse("evaluations:deployment", kwargs={"deployment_pk": world.dep.pk})
    client.get(url)
    with django_assert_num_queries(10):
        first = client.get(url)
    _more_moments(world, 8)
    with django_assert_num_queries(10):
        second = client.get(url)
    assert second.content.decode().count("AAR oefening") == 8
    assert first.status_code == 200


def test_compliance_page_query_count(
    world: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(world.inspector)
    url = reverse("evaluations:compliance")
    client.get(url)
    with django_assert_num_queries(6):
        page = client.get(url)
    services.agreement_setup(actor=world.bde43_safety, deployment=world.other)
    with django_assert_num_queries(6):
        page = client.get(url)
    html = page.content.decode()
    assert "EFP-R12" in html and "KFOR-1" in html


def test_panels_on_deployment_page(world: Any, client_for: Any) -> None:
    client = client_for(world.bde13_safety)
    page = client.get(reverse("deployments:detail", kwargs={"pk": world.dep.pk}))
    html = page.content.decode()
    assert (
        reverse("evaluations:agreement", kwargs={"deployment_pk": world.dep.pk}) in html
    )
    assert reverse("evaluations:gate", kwargs={"deployment_pk": world.dep.pk}) in html


def test_compliance_lists_the_most_overdue_deployment_first(
    world: Any, client_for: Any
) -> None:
    def position(html: str, code: str) -> int:
        return html.index(f">{code}</a>")

    def add_overdue(n: int) -> None:
        for _ in range(n):
            services.evaluation_create(
                actor=world.bde43_safety,
                deployment=world.other,
                template=EvaluationTemplate.objects.get(code="aar"),
                due_date=world.today - datetime.timedelta(days=3),
            )

    url = reverse("evaluations:compliance")
    (efp,) = selectors.compliance_by_deployment(user=world.inspector)
    add_overdue(efp["overdue"])  # as many as EFP-R12: by code
    tie = client_for(world.inspector).get(url).content.decode()
    assert position(tie, "EFP-R12") < position(tie, "KFOR-1")
    add_overdue(1)
    overdue = client_for(world.inspector).get(url).content.decode()
    assert position(overdue, "KFOR-1") < position(overdue, "EFP-R12")


def test_outsider_sees_no_compliance_rows(world: Any, client_for: Any) -> None:
    page = client_for(world.bde43_safety).get(reverse("evaluations:compliance"))
    assert "EFP-R12" not in page.content.decode()


def test_admin_refuses_an_invalid_method(world: Any, client: Any) -> None:
    from missionsafety.evaluations.forms import EvaluationTemplateAdminForm

    template = EvaluationTemplate.objects.get(code="aar")
    data = {
        f: getattr(template, f)
        for f in EvaluationTemplateAdminForm.Meta.fields
        if f != "form"
    }
    bad = EvaluationTemplateAdminForm(
        data={**data, "form": '{"questions": [{"key": "1x"}], "participants": ["x"]}'},
        instance=template,
    )
    assert not bad.is_valid() and "form" in bad.errors
    good = EvaluationTemplateAdminForm(
        data={
            **data,
            "form": '{"questions": [{"key": "q1", "label": "Wat?", "required": true}],'
            ' "participants": ["deployed_unit"]}',
        },
        instance=template,
    )
    assert good.is_valid(), good.errors
