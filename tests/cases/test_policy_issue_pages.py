"""The policy issue pages over the same services as the API: raising one from a case and the cases
like it, its page with its cases and candidates, each move from its form, and who sees what."""

from html import unescape

import pytest

from cases.models import Case, CaseState, PolicyIssue
from cases.services import policy_issues
from commissioners.models import Role
from policies.models import Measure
from tests.factories import CentreFactory, UserFactory, bureau, district
from tests.pages import page_client

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def customs_staff(db):
    return UserFactory(username="customs", role=Role.BUREAU_STAFF, bureau=bureau("sh-customs"))


@pytest.fixture
def alike(xuhui_commissioner, pudong_commissioner):
    made = []
    for where, commissioner, title in (
        ("xuhui", xuhui_commissioner, "科研试剂在海关滞留，通关时间过长"),
        ("xuhui", xuhui_commissioner, "研发用试剂通关时间过长，海关滞留两周"),
        ("pudong", pudong_commissioner, "科研试剂在海关滞留，通关时间太长，影响实验"),
    ):
        centre = CentreFactory(district=district(where), commissioner=commissioner)
        made.append(
            Case.objects.create(
                centre=centre,
                district=centre.district,
                measure=Measure.objects.get(programme="shanghai_2024", number=3),
                title=title,
                description=title,
                created_by=commissioner,
            )
        )
    return made


def test_the_city_raises_an_issue_from_a_case_and_the_cases_like_it(city_commissioner, alike):
    client = page_client(city_commissioner)
    case_page = text(client.get(f"/cases/{alike[0].pk}/"))
    assert f"/policy-issues/new/?case={alike[0].pk}" in case_page

    form = client.get(f"/policy-issues/new/?case={alike[0].pk}")
    assert form.status_code == 200
    for case in alike:  # the case itself and the similar ones are offered
        assert f'data-testid="issue-case-{case.pk}"' in text(form)

    missing = client.post(
        "/policy-issues/new/",
        {"title": "", "description": "x", "measure": alike[0].measure_id, "cases": [alike[0].pk]},
    )
    assert missing.status_code == 400
    assert not PolicyIssue.objects.exists()
    assert 'value="x"' not in text(missing) and ">x</textarea>" in text(missing)  # what was typed stays

    raised = client.post(
        "/policy-issues/new/",
        {
            "title": "科研试剂通关时间过长",
            "description": "Reagents wait weeks at customs.",
            "measure": alike[0].measure_id,
            "cases": [c.pk for c in alike],
        },
    )
    issue = PolicyIssue.objects.get()
    assert raised.status_code == 303 and raised["Location"] == f"/policy-issues/{issue.pk}/"
    assert set(issue.cases.values_list("pk", flat=True)) == {c.pk for c in alike}
    page = text(client.get(raised["Location"]))
    assert page.count('data-testid="issue-case"') == 3
    assert 'data-move="dispatch"' in page
    # The dispatch form is filled with the routing table's proposal: the customs lead.
    assert 'value="sh-customs" selected' in page
    # The case page names its policy issue.
    assert f"/policy-issues/{issue.pk}/" in text(client.get(f"/cases/{alike[0].pk}/"))


def test_each_move_from_its_form_and_a_refusal_keeps_the_input(city_commissioner, customs_staff, alike):
    issue = policy_issues.policy_issue_create(
        actor=city_commissioner, title="通关", description="…", measure=alike[0].measure, cases=[alike[0].pk]
    )
    city = page_client(city_commissioner)
    page = text(city.get(f"/policy-issues/{issue.pk}/"))
    assert f'data-testid="link-{alike[1].pk}"' in page  # a similar case to add
    added = city.post(f"/policy-issues/{issue.pk}/moves/link/", {"case": alike[1].pk})
    assert added.status_code == 303
    assert Case.objects.get(pk=alike[1].pk).policy_issue_id == issue.pk

    refused = city.post(f"/policy-issues/{issue.pk}/moves/dispatch/", {"lead_bureau": "sh-finance"})
    assert refused.status_code == 400
    assert "give a reason" in text(refused)
    assert PolicyIssue.objects.get(pk=issue.pk).state == "open"
    dispatched = city.post(
        f"/policy-issues/{issue.pk}/moves/dispatch/",
        {"lead_bureau": "sh-customs", "override_reason": "Customs alone."},
    )
    assert dispatched.status_code == 303

    customs = page_client(customs_staff)
    assert customs.get("/policy-issues/").status_code == 200
    assert f"/policy-issues/{issue.pk}/" in text(customs.get("/policy-issues/"))
    assert customs.post(f"/policy-issues/{issue.pk}/moves/accept/").status_code == 303
    answered = customs.post(
        f"/policy-issues/{issue.pk}/moves/answer/",
        {"answer_text": "A green channel opens.", "answer_outcome": "solved"},
    )
    assert answered.status_code == 303
    assert set(Case.objects.filter(policy_issue=issue).values_list("state", flat=True)) == {
        CaseState.ANSWERED
    }
    assert "A green channel opens." in text(customs.get(f"/policy-issues/{issue.pk}/"))


def test_who_sees_the_pages(city_commissioner, customs_staff, manager, pudong_commissioner, alike):
    issue = policy_issues.policy_issue_create(
        actor=city_commissioner, title="通关", description="…", measure=alike[0].measure, cases=[alike[0].pk]
    )
    assert page_client(customs_staff).get(f"/policy-issues/{issue.pk}/").status_code == 404  # not routed yet
    assert (
        page_client(pudong_commissioner).get(f"/policy-issues/{issue.pk}/").status_code == 404
    )  # no case of his
    assert page_client(manager).get(f"/policy-issues/{issue.pk}/").status_code == 200
    assert (
        page_client(manager).post(f"/policy-issues/{issue.pk}/moves/withdraw/", {"reason": "x"}).status_code
        == 403
    )
    assert page_client(customs_staff).get("/policy-issues/new/").status_code == 403


def test_the_pages_are_a_fixed_number_of_queries(city_commissioner, alike, django_assert_max_num_queries):
    issue = policy_issues.policy_issue_create(
        actor=city_commissioner,
        title="通关",
        description="…",
        measure=alike[0].measure,
        cases=[c.pk for c in alike],
    )
    client = page_client(city_commissioner)
    with django_assert_max_num_queries(22):
        assert client.get(f"/policy-issues/{issue.pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/policy-issues/").status_code == 200
