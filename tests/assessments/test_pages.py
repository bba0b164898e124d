"""The assessment pages over the same services as the API: the list by role, the form, its draft and
submission, the city's review and return, who gets a 404, hostile input, and the query counts."""

from datetime import date
from decimal import Decimal

import pytest

from assessments import services as assessments
from assessments.models import Assessment, AssessmentCycle, AssessmentEvent, AssessmentState, ScoringWeight
from assessments.pages.views import RETURNED, REVIEWED, SAVED, SUBMITTED
from assessments.services.messages import REQUIRED_TO_SUBMIT
from core.messages import REASON_REQUIRED
from tests.factories import CentreFactory, district
from tests.pages import page_client

pytestmark = pytest.mark.django_db

FILLED = {
    "full_time_rd_staff": "200",
    "total_staff": "250",
    "rd_spending_cny": "150000000",
    "patents_filed": "40",
    "patents_granted": "20",
    "joint_projects_universities": "3",
    "joint_projects_institutes": "2",
    "joint_projects_firms": "2",
    "startups_incubated": "4",
    "foreign_experts": "12",
    "problems_met": "Customs clearance of reagents is slow.",
    "centre_view_of_service": "Responsive commissioners.",
}


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def cycle(db):
    return AssessmentCycle.objects.create(
        name="2025 annual",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        opens_on=date(2026, 1, 5),
        due_on=date(2026, 2, 27),
    )


@pytest.fixture
def opened(cycle, xuhui_centre, pudong_centre):
    assessments.open_cycle(cycle=cycle)
    return cycle


@pytest.fixture
def xuhui_assessment(opened, xuhui_centre):
    return Assessment.objects.get(cycle=opened, centre=xuhui_centre)


@pytest.fixture
def pudong_assessment(opened, pudong_centre):
    return Assessment.objects.get(cycle=opened, centre=pudong_centre)


def url(assessment, move: str = "") -> str:
    return f"/assessments/{assessment.pk}/" + (f"{move}/" if move else "")


def post_entry(client, assessment, action="save", **changes):
    data = {**FILLED, **changes, "action": action}
    return client.post(url(assessment), {k: v for k, v in data.items() if v is not None})


def submit(assessment, commissioner):
    values = {k: (Decimal(v) if k == "rd_spending_cny" else v) for k, v in FILLED.items()}
    values = {
        k: (int(v) if k not in ("problems_met", "centre_view_of_service", "rd_spending_cny") else v)
        for k, v in values.items()
    }
    assessments.assessment_update(assessment=assessment, actor=commissioner, **values)
    return assessments.assessment_submit(assessment=assessment, actor=commissioner)


# --- The list ---------------------------------------------------------------------------------------


def test_the_district_commissioner_lists_their_districts_assessments_returned_first(
    xuhui_assessment, pudong_assessment, xuhui_commissioner, city_commissioner
):
    submit(xuhui_assessment, xuhui_commissioner)
    assessments.assessment_return(
        assessment=xuhui_assessment, actor=city_commissioner, reason="Spending looks off."
    )

    response = page_client(xuhui_commissioner).get("/assessments/")

    body = text(response)
    assert response.status_code == 200
    assert f'data-assessment-id="{xuhui_assessment.pk}"' in body
    assert f'data-assessment-id="{pudong_assessment.pk}"' not in body
    assert "Spending looks off." in body


def test_the_city_lists_the_submitted_ones_oldest_first(
    xuhui_assessment, pudong_assessment, xuhui_commissioner, pudong_commissioner, city_commissioner
):
    submit(pudong_assessment, pudong_commissioner)
    submit(xuhui_assessment, xuhui_commissioner)

    body = text(page_client(city_commissioner).get("/assessments/"))

    assert body.index(f'data-assessment-id="{pudong_assessment.pk}"') < body.index(
        f'data-assessment-id="{xuhui_assessment.pk}"'
    )
    open_only = text(page_client(city_commissioner).get("/assessments/?state=open&district=xuhui"))
    assert 'data-testid="assessment-row"' not in open_only


def test_a_manager_reads_the_list_and_the_assessment_without_any_form(xuhui_assessment, manager):
    client = page_client(manager)

    assert f'data-assessment-id="{xuhui_assessment.pk}"' in text(client.get("/assessments/"))
    body = text(client.get(url(xuhui_assessment)))
    assert 'data-testid="entry-form"' not in body
    assert 'data-testid="review"' not in body
    assert client.post(url(xuhui_assessment), {**FILLED, "action": "save"}).status_code == 403


def test_the_list_refuses_a_bad_filter_in_words(opened, city_commissioner):
    for query in ("cycle=9999-12-31", "state=nonsense", "cycle=99999999999999999999", "cycle=0001-01-01"):
        response = page_client(city_commissioner).get(f"/assessments/?{query}")
        assert response.status_code == 400, query
        assert 'data-testid="filter-error"' in text(response)


def test_the_list_reads_a_fixed_number_of_queries(
    cycle, xuhui_centre, city_commissioner, django_assert_max_num_queries
):
    for _ in range(5):
        CentreFactory(district=district("xuhui"))
    assessments.open_cycle(cycle=cycle)
    client = page_client(city_commissioner)
    with django_assert_max_num_queries(12):
        response = client.get("/assessments/?state=open")
    assert text(response).count('data-testid="assessment-row"') >= 2


# --- The form ---------------------------------------------------------------------------------------


def test_the_form_shows_indicators_with_units_full_marks_and_the_systems_figures(
    xuhui_assessment, xuhui_commissioner, django_assert_max_num_queries
):
    weight = ScoringWeight.objects.get(indicator="full_time_rd_staff")
    client = page_client(xuhui_commissioner)

    with django_assert_max_num_queries(20):
        response = client.get(url(xuhui_assessment))

    body = text(response)
    assert response.status_code == 200
    assert 'data-testid="entry-form"' in body
    assert 'name="full_time_rd_staff"' in body
    assert "(persons)" in body and "(CNY)" in body
    assert f"full marks at {weight.full_marks_at.normalize():f}" in body
    assert "Cases logged" in body or "cases logged" in body
    assert "contacts made" in body.lower()


def test_saving_a_draft_keeps_the_values_and_writes_history(xuhui_assessment, xuhui_commissioner):
    client = page_client(xuhui_commissioner)

    response = post_entry(client, xuhui_assessment, total_staff="", problem_0_ignored=None)

    assert response.status_code == 303
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.state == AssessmentState.OPEN
    assert xuhui_assessment.full_time_rd_staff == 200
    assert xuhui_assessment.total_staff is None
    body = text(client.get(url(xuhui_assessment)))
    assert str(SAVED) in body
    assert 'value="200"' in body
    assert AssessmentEvent.objects.filter(assessment=xuhui_assessment, action="edit").exists()


def test_problems_are_kept_with_their_measures(xuhui_assessment, xuhui_commissioner):
    client = page_client(xuhui_commissioner)

    post_entry(
        client,
        xuhui_assessment,
        **{
            "problem-0-description": "Reagents stuck at customs",
            "problem-0-measure": "3",
            "problem-1-description": "",
        },
    )

    problem = xuhui_assessment.problems.get()
    assert problem.measure.number == 3
    assert "Reagents stuck at customs" in text(client.get(url(xuhui_assessment)))


def test_submitting_with_a_missing_indicator_shows_the_error_and_writes_nothing(
    xuhui_assessment, xuhui_commissioner
):
    client = page_client(xuhui_commissioner)

    response = post_entry(client, xuhui_assessment, action="submit", foreign_experts="")

    assert response.status_code == 400
    body = text(response)
    assert str(REQUIRED_TO_SUBMIT) in body
    assert 'data-field="foreign_experts"' in body
    assert 'value="200"' in body  # what was sent is shown again
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.state == AssessmentState.OPEN
    assert xuhui_assessment.full_time_rd_staff is None  # nothing half-written
    assert not AssessmentEvent.objects.filter(assessment=xuhui_assessment).exclude(action="open").exists()


def test_submitting_makes_it_read_only(xuhui_assessment, xuhui_commissioner):
    client = page_client(xuhui_commissioner)

    response = post_entry(client, xuhui_assessment, action="submit")

    assert response.status_code == 303
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.state == AssessmentState.SUBMITTED
    body = text(client.get(url(xuhui_assessment)))
    assert str(SUBMITTED) in body
    assert 'data-testid="entry-form"' not in body
    assert post_entry(client, xuhui_assessment).status_code == 409


def test_a_stale_version_is_a_412_over_the_fresh_assessment(xuhui_assessment, xuhui_commissioner):
    client = page_client(xuhui_commissioner)
    stale = text(client.get(url(xuhui_assessment))).split('name="version" value="')[1].split('"')[0]
    assessments.assessment_update(assessment=xuhui_assessment, actor=xuhui_commissioner, patents_filed=7)

    response = post_entry(client, xuhui_assessment, version=stale.replace("&quot;", '"'))

    assert response.status_code == 412
    assert 'value="7"' in text(response)
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.patents_filed == 7


# --- The city's review ------------------------------------------------------------------------------


def test_the_city_returns_it_with_a_reason_the_district_then_sees(
    xuhui_assessment, xuhui_commissioner, city_commissioner
):
    submit(xuhui_assessment, xuhui_commissioner)
    city = page_client(city_commissioner)
    assert 'data-testid="review"' in text(city.get(url(xuhui_assessment)))

    refused = city.post(url(xuhui_assessment, "return"), {"reason": "  "})
    assert refused.status_code == 400
    assert str(REASON_REQUIRED) in text(refused)

    response = city.post(
        url(xuhui_assessment, "return"), {"reason": "R&D spending is in thousands, not CNY."}
    )
    assert response.status_code == 303
    assert str(RETURNED) in text(city.get(url(xuhui_assessment)))
    body = text(page_client(xuhui_commissioner).get(url(xuhui_assessment)))
    assert 'data-testid="return-reason"' in body
    assert "R&amp;D spending is in thousands, not CNY." in body
    assert 'data-testid="entry-form"' in body


def test_the_city_reviews_it_and_a_second_review_meets_the_conflict(
    xuhui_assessment, xuhui_commissioner, city_commissioner
):
    submit(xuhui_assessment, xuhui_commissioner)
    city = page_client(city_commissioner)

    response = city.post(url(xuhui_assessment, "review"), {"note": "Fine."})

    assert response.status_code == 303
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.state == AssessmentState.REVIEWED
    assert str(REVIEWED) in text(city.get(url(xuhui_assessment)))
    again = city.post(url(xuhui_assessment, "return"), {"reason": "Too late"})
    assert again.status_code == 409
    assert 'data-state="reviewed"' in text(again)


def test_a_district_commissioner_cannot_review(xuhui_assessment, xuhui_commissioner):
    submit(xuhui_assessment, xuhui_commissioner)

    response = page_client(xuhui_commissioner).post(url(xuhui_assessment, "review"), {"note": ""})

    assert response.status_code == 403
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.state == AssessmentState.SUBMITTED


# --- Who may see it ---------------------------------------------------------------------------------


def test_bureau_staff_and_another_district_get_the_404_page(
    xuhui_assessment, pudong_commissioner, bureau_staff
):
    for user in (pudong_commissioner, bureau_staff):
        client = page_client(user)
        for response in (
            client.get(url(xuhui_assessment)),
            client.post(url(xuhui_assessment), {**FILLED, "action": "submit"}),
            client.post(url(xuhui_assessment, "return"), {"reason": "x"}),
        ):
            assert response.status_code == 404
            assert 'data-testid="not-found"' in text(response)
    assert page_client(pudong_commissioner).get("/assessments/999999/").status_code == 404


# --- Hostile input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"full_time_rd_staff": "99999999999999999999999"},
        {"rd_spending_cny": "1e400"},
        {"rd_spending_cny": "999999999999999999999.99"},
        {"patents_filed": "-1"},
        {"total_staff": "0001-01-01"},
        {"joint_projects_firms": "9999-12-31"},
        {"startups_incubated": "NaN"},
        {"foreign_experts": "1.5"},
        {"problem-0-description": "A problem", "problem-0-measure": "999"},
        {"problem-0-description": "A problem", "problem-0-measure": "abc"},
        {"problem-0-description": "", "problem-0-measure": "3"},
        {"problems_met": "x" * 20_001},
        {"centre_view_of_service": "nul\x00byte"},
        {"problem-0-description": "y" * 20_001},
        {"full_time_rd_staff": "300", "total_staff": "200"},
    ],
)
@pytest.mark.parametrize("action", ["save", "submit"])
def test_extreme_input_is_refused_in_words_never_a_500(xuhui_assessment, xuhui_commissioner, changes, action):
    response = post_entry(page_client(xuhui_commissioner), xuhui_assessment, action=action, **changes)

    assert 400 <= response.status_code < 500
    assert 'data-testid="field-error"' in text(response) or 'data-testid="entry-error"' in text(response)
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.state == AssessmentState.OPEN
    assert xuhui_assessment.full_time_rd_staff is None


def test_an_overlong_return_reason_is_refused(xuhui_assessment, xuhui_commissioner, city_commissioner):
    submit(xuhui_assessment, xuhui_commissioner)

    response = page_client(city_commissioner).post(url(xuhui_assessment, "return"), {"reason": "z" * 5001})

    assert response.status_code == 400
    xuhui_assessment.refresh_from_db()
    assert xuhui_assessment.state == AssessmentState.SUBMITTED
