"""No silent overwrite: every detail has an ETag; a PATCH with a stale If-Match is a 412 that names the
current version and changes nothing, checked under the row's lock so two editors cannot both win."""

import pytest

from cases.models import Case, CaseEvent
from cases.services import case_edit
from centres.models import Centre
from core.versioning import version_of
from tests.concurrency import race


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "change", "editor"),
    [
        ("/api/cases/{case}/", {"title": "Customs hold, again"}, "xuhui_commissioner"),
        ("/api/centres/{centre}/", {"total_staff": 480}, "xuhui_commissioner"),
    ],
)
def test_a_stale_if_match_is_a_412_that_changes_nothing(
    path, change, editor, request, client_for, case_in_state
):
    case = case_in_state("submitted")
    client = client_for(request.getfixturevalue(editor))
    url = path.format(case=case.pk, centre=case.centre_id)

    read = client.get(url)
    first = read["ETag"]
    assert first.startswith('"') and first.endswith('"')

    edited = client.patch(url, change, format="json", HTTP_IF_MATCH=first)
    assert edited.status_code == 200, edited.content
    second = edited["ETag"]
    assert second != first
    assert client.get(url)["ETag"] == second

    stale = client.patch(url, {**change}, format="json", HTTP_IF_MATCH=first)
    assert stale.status_code == 412
    assert stale["ETag"] == second
    assert stale.json()["errors"][0]["code"] == "precondition_failed"
    assert client.get(url)["ETag"] == second  # nothing changed

    # Without If-Match the client takes the risk: the change is made.
    assert client.patch(url, change, format="json").status_code == 200


@pytest.mark.django_db
def test_an_assessment_patch_honours_if_match(client_for, xuhui_commissioner, xuhui_centre):
    from assessments.models import Assessment, AssessmentCycle

    cycle = AssessmentCycle.objects.create(
        name="2026",
        period_start="2026-01-01",
        period_end="2026-12-31",
        opens_on="2026-01-05",
        due_on="2099-02-27",
    )
    assessment = Assessment.objects.create(cycle=cycle, centre=xuhui_centre, district=xuhui_centre.district)
    client = client_for(xuhui_commissioner)
    url = f"/api/assessments/{assessment.pk}/"
    first = client.get(url)["ETag"]
    assert client.patch(url, {"patents_filed": 3}, format="json", HTTP_IF_MATCH=first).status_code == 200
    stale = client.patch(url, {"patents_filed": 4}, format="json", HTTP_IF_MATCH=first)
    assert stale.status_code == 412
    assert Assessment.objects.get(pk=assessment.pk).patents_filed == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_with_the_same_version_one_wins_and_the_other_is_told(case_in_state, xuhui_commissioner):
    case = case_in_state("submitted")
    version = version_of(Case.objects.get(pk=case.pk))

    def edit(title):
        return lambda: case_edit(case=case, actor=xuhui_commissioner, expected_version=version, title=title)

    outcomes = race(first=edit("First editor's title"), second=edit("Second editor's title"))

    assert list(outcomes.values()).count("ok") == 1
    loser = next(value for value in outcomes.values() if value != "ok")
    assert "PreconditionFailed" in loser
    assert Case.objects.get(pk=case.pk).title in ("First editor's title", "Second editor's title")
    assert CaseEvent.objects.filter(case=case, action="edit").count() == 1


@pytest.mark.django_db
def test_the_detail_etag_is_the_rows_version(client_for, city_commissioner, case_in_state):
    case = case_in_state("submitted")
    assert client_for(city_commissioner).get(f"/api/cases/{case.pk}/")["ETag"] == version_of(
        Case.objects.get(pk=case.pk)
    )
    centre = Centre.objects.get(pk=case.centre_id)
    assert client_for(city_commissioner).get(f"/api/centres/{centre.pk}/")["ETag"] == version_of(centre)
