"""Policy briefings (政策宣讲): recorded once for every centre that attended, seen by whom they concern,
their questions logged as cases, their materials kept; and what each centre was briefed on."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Case, CaseSource
from centres.models import CentreStatus
from commissioners.models import Role
from landing.models import Briefing, BriefingQuestion
from policies.models import Measure
from tests.factories import CentreFactory, UserFactory, bureau, district

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%fake but well-headed\n"


def measure(number: int, programme: str = "shanghai_2024") -> Measure:
    return Measure.objects.get(programme=programme, number=number)


@pytest.fixture
def second_xuhui_centre(xuhui_commissioner):
    return CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner)


def _briefing(centres, measures=(8,), **extra):
    return {
        "held_on": str(timezone.localdate() - timedelta(days=3)),
        "format": "seminar",
        "title": "Measure 8: the headquarters subsidies",
        "measures": [measure(number).pk for number in measures],
        "centres": [centre.pk for centre in centres],
        **extra,
    }


def test_a_district_briefing_of_many_centres_is_recorded_once_and_reaches_each_centre(
    client_for, xuhui_commissioner, xuhui_centre, second_xuhui_centre
):
    client = client_for(xuhui_commissioner)
    body = _briefing(
        [xuhui_centre, second_xuhui_centre],
        measures=(8, 3),
        questions=[{"centre": xuhui_centre.pk, "question": "Does the rent subsidy cover the lab floor?"}],
    )
    answer = client.post("/api/briefings/", body, format="json")
    assert answer.status_code == 201, answer.content
    briefing = answer.json()
    assert sorted(briefing["centres"]) == sorted([xuhui_centre.pk, second_xuhui_centre.pk])
    assert briefing["programmes"] == ["shanghai_2024"]
    assert briefing["district"] == xuhui_commissioner.district_id and briefing["bureau"] is None
    assert briefing["questions"][0]["question"] == "Does the rent subsidy cover the lab floor?"

    landing = client.get(f"/api/centres/{second_xuhui_centre.pk}/landing/").json()
    assert {row["measure"]: row["times"] for row in landing["briefed_measures"]} == {
        measure(3).pk: 1,
        measure(8).pk: 1,
    }
    assert landing["briefed_measures"][0]["last_on"] == body["held_on"]


def test_a_district_cannot_brief_another_districts_centre(client_for, xuhui_commissioner, pudong_centre):
    answer = client_for(xuhui_commissioner).post("/api/briefings/", _briefing([pudong_centre]), format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"].startswith("centres")
    assert not Briefing.objects.exists()


@pytest.mark.parametrize(
    ("change", "attr"),
    [
        ({"held_on": "9999-12-31"}, "held_on"),
        ({"held_on": "0001-01-01"}, "held_on"),
        ({"centres": []}, "centres"),
        ({"measures": []}, "measures"),
        ({"format": "carrier pigeon"}, "format"),
        ({"title": "   "}, "title"),
    ],
)
def test_a_bad_briefing_is_a_400_naming_the_field_and_writes_nothing(
    change, attr, client_for, city_commissioner, xuhui_centre
):
    answer = client_for(city_commissioner).post(
        "/api/briefings/", {**_briefing([xuhui_centre]), **change}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["errors"][0]["attr"] == attr
    assert not Briefing.objects.exists()


def test_a_question_from_a_centre_that_was_not_there_is_refused(
    client_for, city_commissioner, xuhui_centre, pudong_centre
):
    body = _briefing([xuhui_centre], questions=[{"centre": pudong_centre.pk, "question": "And us?"}])
    answer = client_for(city_commissioner).post("/api/briefings/", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "questions"
    assert not Briefing.objects.exists() and not BriefingQuestion.objects.exists()


def test_a_closed_centre_is_not_briefed(client_for, city_commissioner, xuhui_centre):
    xuhui_centre.status = CentreStatus.CLOSED
    xuhui_centre.save()
    answer = client_for(city_commissioner).post("/api/briefings/", _briefing([xuhui_centre]), format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "centres"


def test_a_briefing_is_seen_by_the_bureau_that_gave_it_and_the_districts_it_reached_only(
    client_for, city_commissioner, xuhui_commissioner, pudong_commissioner, xuhui_centre
):
    commerce = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-commerce"))
    finance = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-finance"))
    given = client_for(city_commissioner).post("/api/briefings/", _briefing([xuhui_centre]), format="json")
    assert given.status_code == 201
    url = f"/api/briefings/{given.json()['id']}/"

    assert client_for(xuhui_commissioner).get(url).status_code == 200
    assert client_for(pudong_commissioner).get(url).status_code == 404
    assert client_for(commerce).get(url).status_code == 404
    assert client_for(finance).get(url).status_code == 404

    # A bureau's own seminar reaches centres it has no case of.
    own = client_for(commerce).post("/api/briefings/", _briefing([xuhui_centre]), format="json")
    assert own.status_code == 201, own.content
    own_url = f"/api/briefings/{own.json()['id']}/"
    assert own.json()["bureau"] == commerce.bureau_id
    assert client_for(commerce).get(own_url).status_code == 200
    assert client_for(finance).get(own_url).status_code == 404
    assert client_for(xuhui_commissioner).get(own_url).status_code == 200


def test_a_bureau_records_its_own_briefing_of_a_centre_it_serves(client_for, science_staff, case_in_state):
    case = case_in_state("in_progress")
    answer = client_for(science_staff).post("/api/briefings/", _briefing([case.centre]), format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["bureau"] == science_staff.bureau_id
    listed = client_for(science_staff).get("/api/briefings/").json()["results"]
    assert [row["id"] for row in listed] == [answer.json()["id"]]


def test_a_manager_reads_briefings_but_records_none(client_for, manager, xuhui_centre):
    assert client_for(manager).get("/api/briefings/").status_code == 200
    assert (
        client_for(manager).post("/api/briefings/", _briefing([xuhui_centre]), format="json").status_code
        == 403
    )


def test_a_question_becomes_a_case_of_its_centre_once(
    client_for, city_commissioner, xuhui_commissioner, xuhui_centre
):
    body = _briefing(
        [xuhui_centre], questions=[{"centre": xuhui_centre.pk, "question": "Who signs the form?"}]
    )
    briefing = client_for(city_commissioner).post("/api/briefings/", body, format="json").json()
    question = briefing["questions"][0]["id"]
    url = f"/api/briefings/{briefing['id']}/questions/{question}/log-case/"
    logged = client_for(xuhui_commissioner).post(
        url, {"measure": measure(8).pk, "title": "Subsidy form"}, format="json"
    )
    assert logged.status_code == 201, logged.content

    case = Case.objects.get(pk=logged.json()["case"])
    assert (case.centre_id, case.source, case.description) == (
        xuhui_centre.pk,
        CaseSource.BRIEFING,
        "Who signs the form?",
    )
    assert BriefingQuestion.objects.get(pk=question).case_id == case.pk
    again = client_for(xuhui_commissioner).post(
        url, {"measure": measure(8).pk, "title": "Again"}, format="json"
    )
    assert again.status_code == 400
    assert Case.objects.count() == 1
    # Only the district's commissioner logs cases.
    city = client_for(city_commissioner).post(url, {"measure": measure(8).pk, "title": "City"}, format="json")
    assert city.status_code == 403


def test_materials_are_checked_kept_and_downloaded(
    client_for, xuhui_commissioner, xuhui_centre, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(xuhui_commissioner)
    briefing = client.post("/api/briefings/", _briefing([xuhui_centre]), format="json").json()
    url = f"/api/briefings/{briefing['id']}/materials/"

    kept = client.post(url, {"file": SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf")})
    assert kept.status_code == 201, kept.content
    refused = client.post(
        url, {"file": SimpleUploadedFile("run.exe", b"MZ\x90", content_type="application/octet-stream")}
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "file"

    download = client.get(f"{url}{kept.json()['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    detail = client.get(f"/api/briefings/{briefing['id']}/").json()
    assert [m["original_name"] for m in detail["materials"]] == ["slides.pdf"]


def test_the_briefing_list_reads_a_fixed_number_of_queries(
    client_for, city_commissioner, xuhui_centre, second_xuhui_centre, django_assert_max_num_queries
):
    client = client_for(city_commissioner)
    for _ in range(6):
        body = _briefing(
            [xuhui_centre, second_xuhui_centre],
            measures=(3, 8),
            questions=[{"centre": xuhui_centre.pk, "question": "?"}],
        )
        assert client.post("/api/briefings/", body, format="json").status_code == 201
    with django_assert_max_num_queries(10):
        listed = client.get("/api/briefings/")
    assert listed.json()["count"] == 6


def test_a_briefing_is_in_the_change_history(client_for, city_commissioner, xuhui_centre):
    briefing = (
        client_for(city_commissioner).post("/api/briefings/", _briefing([xuhui_centre]), format="json").json()
    )
    change = Briefing.objects.get(pk=briefing["id"]).changes.get(pgh_label="insert")
    assert change.pgh_context["user"] == city_commissioner.pk
