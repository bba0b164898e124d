"""The district commissioners' field pages and the centre timeline API, over the same services as
the API: my centres, the centre's page and story, a contact that raises cases, logging a case,
my follow-ups; and the query counts that must not grow with the data."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Attachment, Case
from centres.models import ContactRecord, FollowUp
from centres.services import contact_record_create
from commissioners.models import Role
from core.time import local_today
from tests.factories import CentreFactory, UserFactory, district, shanghai_measure
from tests.pages import page_client

pytestmark = pytest.mark.django_db


def contact(user, centre, days_ago: int = 1, summary: str = "Talked about funding.") -> ContactRecord:
    return contact_record_create(
        actor=user,
        centre=centre,
        kind="visit",
        contacted_on=local_today() - timedelta(days=days_ago),
        participants="Ms Li, head of R&D",
        summary=summary,
    )


def test_my_centres_lists_the_commissioners_centres_overdue_first(xuhui_commissioner, xuhui_centre):
    recent = CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner, name_en="Recent Lab")
    contact(xuhui_commissioner, recent, days_ago=1)
    contact(xuhui_commissioner, xuhui_centre, days_ago=400)
    other_district = CentreFactory(district=district("pudong"), name_en="Pudong Lab")

    response = page_client(xuhui_commissioner).get("/centres/")

    assert response.status_code == 200
    ids = _row_ids(response)
    assert ids == [xuhui_centre.pk, recent.pk]  # contacted longest ago: due first
    assert "overdue" in response.content.decode()
    assert other_district.pk not in ids


def _row_ids(response) -> list[int]:
    return [centre.pk for centre, _ in response.context["rows"]]


def test_the_centre_list_answers_in_a_fixed_number_of_queries(
    xuhui_commissioner, django_assert_max_num_queries
):
    for _ in range(30):
        centre = CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner)
        contact(xuhui_commissioner, centre)
    client = page_client(xuhui_commissioner)
    with django_assert_max_num_queries(12):
        response = client.get("/centres/")
    assert len(response.context["rows"]) == 30


@pytest.mark.parametrize(
    "query",
    [
        "guidance_class=excellent",
        "last_contacted_before=0001-01-01",
        "recognised_after=9999-12-31",
        "recognised_after=10000-01-01",
        "page=999999999999",
        "q=" + "研" * 5000,
        "overdue=1&mine=0",
        "district=nowhere",
    ],
)
def test_the_centre_list_refuses_bad_filters_in_words_never_a_500(
    query, xuhui_commissioner, city_commissioner
):
    for user in (xuhui_commissioner, city_commissioner):
        response = page_client(user).get(f"/centres/?{query}")
        assert response.status_code in (200, 400), query


def test_bureau_staff_have_no_centre_list(bureau_staff):
    assert page_client(bureau_staff).get("/centres/").status_code == 403


def test_the_centre_page_shows_the_profile_and_the_story(xuhui_commissioner, xuhui_centre):
    record = contact(xuhui_commissioner, xuhui_centre, summary="A visit.")
    response = page_client(xuhui_commissioner).get(f"/centres/{xuhui_centre.pk}/")

    assert response.status_code == 200
    kinds = [entry.kind for entry in response.context["entries"]]
    assert kinds == ["contact"]
    assert f"/contacts/{record.pk}/" in response.content.decode()
    assert response.context["centre"].next_contact_due is not None


def test_a_centre_of_another_district_is_a_404(pudong_commissioner, xuhui_centre, bureau_staff):
    assert page_client(pudong_commissioner).get(f"/centres/{xuhui_centre.pk}/").status_code == 404
    assert page_client(bureau_staff).get(f"/centres/{xuhui_centre.pk}/").status_code == 404


def test_a_contact_raising_two_difficulties_logs_the_ticked_one_as_a_case(xuhui_commissioner, xuhui_centre):
    measure = shanghai_measure(1)
    response = page_client(xuhui_commissioner).post(
        f"/centres/{xuhui_centre.pk}/contacts/new/",
        {
            "kind": "visit",
            "contacted_on": local_today().isoformat(),
            "participants": "Dr Wang",
            "summary": "Visited the lab.",
            "d0-title": "Research samples held at customs",
            "d0-description": "Three shipments waiting for two months.",
            "d0-measure": str(measure.pk),
            "d0-urgency": "urgent",
            "d0-log_as_case": "on",
            "d1-title": "Parking for visitors",
            "d1-description": "Not a policy matter.",
        },
    )

    assert response.status_code == 302
    record = ContactRecord.objects.get(centre=xuhui_centre)
    assert response["Location"] == f"/contacts/{record.pk}/"
    case = Case.objects.get(contact_record=record)
    assert (case.title, case.urgency, case.measure, case.source) == (
        "Research samples held at customs",
        "urgent",
        measure,
        "visit",
    )
    assert "Parking for visitors" in record.summary
    page = page_client(xuhui_commissioner).get(response["Location"])
    assert f"/cases/{case.pk}/" in page.content.decode()
    timeline = page_client(xuhui_commissioner).get(f"/centres/{xuhui_centre.pk}/")
    assert sorted(entry.kind for entry in timeline.context["entries"]) == ["case", "contact"]


def test_a_difficulty_that_cannot_be_logged_writes_nothing(xuhui_commissioner, xuhui_centre):
    response = page_client(xuhui_commissioner).post(
        f"/centres/{xuhui_centre.pk}/contacts/new/",
        {
            "kind": "visit",
            "contacted_on": local_today().isoformat(),
            "participants": "Dr Wang",
            "summary": "Visited the lab.",
            "d0-title": "Samples at customs",
            "d0-log_as_case": "on",
        },
    )

    assert response.status_code == 400
    assert "Choose the measure" in response.content.decode()
    assert not ContactRecord.objects.exists()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"contacted_on": "0001-01-01"},
        {"contacted_on": "9999-12-31"},
        {"kind": "telepathy"},
        {"participants": ""},
        {"summary": "x" * 20_001},
        {"d0-measure": "99999999999999999999", "d0-log_as_case": "on", "d0-title": "t"},
        {"d0-urgency": "apocalyptic", "d0-log_as_case": "on", "d0-title": "t"},
    ],
)
def test_bad_contact_input_is_refused_in_words_and_writes_nothing(changes, xuhui_commissioner, xuhui_centre):
    data = {
        "kind": "visit",
        "contacted_on": local_today().isoformat(),
        "participants": "Dr Wang",
        "summary": "Visited the lab.",
        **changes,
    }
    response = page_client(xuhui_commissioner).post(f"/centres/{xuhui_centre.pk}/contacts/new/", data)

    assert response.status_code == 400
    assert not ContactRecord.objects.exists()


def test_a_bureau_cannot_record_a_contact(bureau_staff, xuhui_centre):
    assert page_client(bureau_staff).get(f"/centres/{xuhui_centre.pk}/contacts/new/").status_code == 403


def test_a_case_is_logged_with_its_documents_and_the_routing_is_shown_first(xuhui_commissioner, xuhui_centre):
    measure = shanghai_measure(1)
    client = page_client(xuhui_commissioner)
    routing = client.get(f"/centres/{xuhui_centre.pk}/routing/?measure={measure.pk}")
    assert routing.status_code == 200
    assert "lead" in routing.content.decode()

    response = client.post(
        f"/centres/{xuhui_centre.pk}/cases/new/",
        {
            "measure": str(measure.pk),
            "title": "Programme funding",
            "description": "The grant has not arrived.",
            "urgency": "normal",
            "documents": [
                SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
            ],
        },
    )

    assert response.status_code == 302
    case = Case.objects.get(centre=xuhui_centre)
    assert response["Location"] == f"/cases/{case.pk}/"
    assert Attachment.objects.get(case=case).original_name == "letter.pdf"


def test_a_refused_document_logs_no_case(xuhui_commissioner, xuhui_centre):
    response = page_client(xuhui_commissioner).post(
        f"/centres/{xuhui_centre.pk}/cases/new/",
        {
            "measure": str(shanghai_measure(1).pk),
            "title": "Programme funding",
            "description": "The grant has not arrived.",
            "urgency": "normal",
            "documents": [
                SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
            ],
        },
    )

    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize("measure", ["", "0", "abc", "99999999999999999999"])
def test_the_routing_preview_of_no_measure_asks_for_one(measure, xuhui_commissioner, xuhui_centre):
    response = page_client(xuhui_commissioner).get(f"/centres/{xuhui_centre.pk}/routing/?measure={measure}")
    assert response.status_code == 200
    assert "Choose a measure" in response.content.decode()


def test_my_follow_ups_lists_the_overdue_first(xuhui_commissioner, xuhui_centre):
    later = CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner)
    today = local_today()
    FollowUp.objects.create(
        kind="contact", centre=later, due_on=today + timedelta(days=5), assignee=xuhui_commissioner
    )
    FollowUp.objects.create(kind="contact", centre=xuhui_centre, due_on=today - timedelta(days=3))

    response = page_client(xuhui_commissioner).get("/follow-ups/")

    assert response.status_code == 200
    assert [f.centre_id for f in response.context["page"]] == [xuhui_centre.pk, later.pk]
    assert "overdue" in response.content.decode()


def test_the_timeline_api_pages_the_story_and_hides_it_from_others(
    xuhui_commissioner, pudong_commissioner, xuhui_centre, client_for
):
    for days_ago in range(30):
        contact(xuhui_commissioner, xuhui_centre, days_ago=days_ago + 1)

    response = client_for(xuhui_commissioner).get(f"/api/centres/{xuhui_centre.pk}/timeline/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 30
    assert len(body["results"]) == 25
    first = body["results"][0]
    assert first["kind"] == "contact"
    assert first["page_url"] == f"/contacts/{first['id']}/"
    days = [entry["at"] for entry in body["results"]]
    assert days == sorted(days, reverse=True)
    assert client_for(pudong_commissioner).get(f"/api/centres/{xuhui_centre.pk}/timeline/").status_code == 404


def test_a_confidential_case_is_in_the_story_only_for_those_who_may_see_it(
    xuhui_commissioner, city_commissioner, manager, xuhui_centre, client_for
):
    colleague = UserFactory(username="xuhui-2", role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    secret = Case.objects.create(
        centre=xuhui_centre,
        district=xuhui_centre.district,
        measure=shanghai_measure(1),
        title="Secret formula at risk",
        description="Only the city and its logger may know.",
        is_confidential=True,
        created_by=xuhui_commissioner,
    )
    contact(xuhui_commissioner, xuhui_centre)

    def case_ids(user) -> list[int]:
        body = client_for(user).get(f"/api/centres/{xuhui_centre.pk}/timeline/").json()
        return [entry["id"] for entry in body["results"] if entry["kind"] == "case"]

    assert case_ids(xuhui_commissioner) == [secret.pk]
    assert case_ids(city_commissioner) == [secret.pk]
    assert case_ids(colleague) == []
    assert case_ids(manager) == []
    page = page_client(colleague).get(f"/centres/{xuhui_centre.pk}/").content.decode()
    assert "Secret formula" not in page


def test_the_story_tells_the_briefings_a_centre_attended_and_its_benefits(
    xuhui_commissioner, city_commissioner, xuhui_centre, client_for
):
    from landing.models import Benefit, Briefing
    from policies.models import Measure

    today = local_today()
    briefing = Briefing.objects.create(
        held_on=today - timedelta(days=20),
        format="seminar",
        title="Measure 8 seminar",
        given_by=city_commissioner,
    )
    briefing.measures.set([Measure.objects.get(programme="shanghai_2024", number=8)])
    briefing.centres.add(xuhui_centre)
    Benefit.objects.create(
        centre=xuhui_centre,
        measure=Measure.objects.get(programme="shanghai_2024", number=8),
        title="Rent subsidy",
        status="granted",
        applied_on=today - timedelta(days=15),
        decided_on=today - timedelta(days=2),
        entered_by=city_commissioner,
    )
    contact(xuhui_commissioner, xuhui_centre, days_ago=10)

    body = client_for(xuhui_commissioner).get(f"/api/centres/{xuhui_centre.pk}/timeline/").json()
    assert [(entry["kind"], entry["label"]) for entry in body["results"]][::2] == [
        ("benefit", "Rent subsidy"),
        ("briefing", "Measure 8 seminar"),
    ]
    assert [entry["kind"] for entry in body["results"]] == ["benefit", "contact", "briefing"]
    assert body["results"][0]["api_url"] == f"/api/benefits/{body['results'][0]['id']}/"
    assert body["results"][0]["detail"] == "granted"

    page = page_client(xuhui_commissioner).get(f"/centres/{xuhui_centre.pk}/").content.decode()
    assert "Measure 8 seminar" in page and "Rent subsidy" in page
