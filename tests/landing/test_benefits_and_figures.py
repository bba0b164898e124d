"""Benefits actually received (政策落地), briefing campaigns, and the landing funnel per measure:
entered by those who know, seen by whom they concern, exact against a recount."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.models import Assessment, AssessmentCycle, Finding
from centres.models import CentreType
from commissioners.models import Role
from landing.models import Benefit, Briefing, BriefingFormat
from tests.factories import CentreFactory, UserFactory, bureau, district
from tests.landing.test_briefings import measure

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def commerce_staff():
    return UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-commerce"))


def _benefit(centre, **extra):
    return {
        "centre": centre.pk,
        "measure": measure(8).pk,
        "title": "Regional HQ rent subsidy 2026",
        "status": "granted",
        "applied_on": str(TODAY() - timedelta(days=60)),
        "decided_on": str(TODAY() - timedelta(days=5)),
        "amount": "1200000.00",
        **extra,
    }


def test_a_bureau_enters_the_benefit_it_granted_and_the_district_sees_it(
    client_for, commerce_staff, xuhui_commissioner, pudong_commissioner, xuhui_centre
):
    entered = client_for(commerce_staff).post("/api/benefits/", _benefit(xuhui_centre), format="json")
    assert entered.status_code == 201, entered.content
    benefit = entered.json()
    assert benefit["granting_bureau"] == commerce_staff.bureau_id
    assert entered["ETag"]

    url = f"/api/benefits/{benefit['id']}/"
    assert client_for(xuhui_commissioner).get(url).status_code == 200
    assert client_for(pudong_commissioner).get(url).status_code == 404
    finance = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-finance"))
    assert client_for(finance).get(url).status_code == 404

    landing = client_for(xuhui_commissioner).get(f"/api/centres/{xuhui_centre.pk}/landing/").json()
    assert [row["title"] for row in landing["benefits"]] == ["Regional HQ rent subsidy 2026"]


@pytest.mark.parametrize(
    ("change", "attr"),
    [
        ({"decided_on": None}, "decided_on"),  # granted with no decision day
        ({"status": "applied"}, "decided_on"),  # a decision day on an undecided one
        ({"decided_on": "2020-01-01", "applied_on": "2020-02-01"}, "decided_on"),
        ({"applied_on": "9999-12-31"}, "applied_on"),
        ({"applied_on": "0001-01-01"}, "applied_on"),
        ({"status": "promised"}, "status"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "1" * 20}, "amount"),
        ({"title": " "}, "title"),
        ({"quantity": 2**40}, "quantity"),
    ],
)
def test_a_bad_benefit_is_a_400_naming_the_field_and_writes_nothing(
    change, attr, client_for, city_commissioner, xuhui_centre
):
    answer = client_for(city_commissioner).post(
        "/api/benefits/", {**_benefit(xuhui_centre), **change}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["errors"][0]["attr"] == attr
    assert not Benefit.objects.exists()


def test_a_district_enters_benefits_of_its_own_centres_only(client_for, xuhui_commissioner, pudong_centre):
    answer = client_for(xuhui_commissioner).post("/api/benefits/", _benefit(pudong_centre), format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "centre"


def test_a_bureau_cannot_enter_another_bureaus_grant(client_for, commerce_staff, xuhui_centre):
    body = _benefit(xuhui_centre, granting_bureau=bureau("sh-finance").pk)
    answer = client_for(commerce_staff).post("/api/benefits/", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "granting_bureau"


def test_a_benefit_moves_on_with_its_reason_recorded_and_a_stale_version_is_a_412(
    client_for, xuhui_commissioner, xuhui_centre
):
    client = client_for(xuhui_commissioner)
    applied = client.post(
        "/api/benefits/",
        _benefit(xuhui_centre, status="applied", decided_on=None, amount=None),
        format="json",
    )
    assert applied.status_code == 201, applied.content
    url = f"/api/benefits/{applied.json()['id']}/"
    version = applied["ETag"]

    granted = client.patch(
        url,
        {"status": "granted", "decided_on": str(TODAY()), "amount": "300000", "reason": "Notice 2026-14"},
        format="json",
        HTTP_IF_MATCH=version,
    )
    assert granted.status_code == 200, granted.content
    assert granted.json()["status"] == "granted"
    change = Benefit.objects.get(pk=applied.json()["id"]).changes.filter(pgh_label="update").last()
    assert change.status == "granted"
    assert change.pgh_context["reason"] == "Notice 2026-14"

    stale = client.patch(url, {"note": "late"}, format="json", HTTP_IF_MATCH=version)
    assert stale.status_code == 412
    assert Benefit.objects.get(pk=applied.json()["id"]).note == ""

    unchanged = Benefit.objects.get(pk=applied.json()["id"]).changes.count()
    assert client.patch(url, {"status": "granted"}, format="json").status_code == 200
    assert Benefit.objects.get(pk=applied.json()["id"]).changes.count() == unchanged


def _briefed(centre, *, number: int, on: date, by) -> None:
    briefing = Briefing.objects.create(held_on=on, format=BriefingFormat.SEMINAR, title="t", given_by=by)
    briefing.measures.set([measure(number)])
    briefing.centres.add(centre)


def test_a_campaign_shows_how_many_aimed_centres_were_briefed_in_its_period_per_district(
    client_for, city_commissioner, xuhui_commissioner, bureau_staff
):
    xuhui = [
        CentreFactory(district=district("xuhui"), centre_type=CentreType.GLOBAL_RD_CENTRE) for _ in range(3)
    ]
    pudong = CentreFactory(district=district("pudong"), centre_type=CentreType.GLOBAL_RD_CENTRE)
    CentreFactory(district=district("xuhui"), centre_type=CentreType.RD_CENTRE)  # not aimed at
    start = TODAY() - timedelta(days=30)
    _briefed(xuhui[0], number=8, on=start + timedelta(days=1), by=city_commissioner)
    _briefed(xuhui[1], number=8, on=start - timedelta(days=1), by=city_commissioner)  # before the campaign
    _briefed(xuhui[2], number=3, on=start + timedelta(days=1), by=city_commissioner)  # another measure
    _briefed(pudong, number=8, on=start + timedelta(days=2), by=city_commissioner)

    created = client_for(city_commissioner).post(
        "/api/briefing-campaigns/",
        {
            "title": "Every global R&D centre on measure 8",
            "measure": measure(8).pk,
            "centre_type": CentreType.GLOBAL_RD_CENTRE,
            "starts_on": str(start),
            "due_on": str(TODAY() + timedelta(days=90)),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    progress = created.json()["progress"]
    assert (progress["aimed_at"], progress["briefed"], progress["share"]) == (4, 2, 0.5)
    assert {row["code"]: (row["aimed_at"], row["briefed"]) for row in progress["by_district"]} == {
        "xuhui": (3, 1),
        "pudong": (1, 1),
    }

    district_view = (
        client_for(xuhui_commissioner).get(f"/api/briefing-campaigns/{created.json()['id']}/").json()
    )
    assert (district_view["progress"]["aimed_at"], district_view["progress"]["briefed"]) == (3, 1)
    assert client_for(bureau_staff).get("/api/briefing-campaigns/").status_code == 403
    assert (
        client_for(xuhui_commissioner).post("/api/briefing-campaigns/", {}, format="json").status_code == 403
    )


def test_a_campaign_must_end_after_it_starts(client_for, city_commissioner):
    answer = client_for(city_commissioner).post(
        "/api/briefing-campaigns/",
        {"title": "Backwards", "measure": measure(8).pk, "starts_on": "2026-06-01", "due_on": "2026-05-01"},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "due_on"


def _eligible(centre, number=8):
    cycle, _ = AssessmentCycle.objects.get_or_create(
        name="2026",
        defaults={
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "opens_on": "2026-01-05",
            "due_on": "2026-02-27",
        },
    )
    assessment = Assessment.objects.create(cycle=cycle, centre=centre, district=centre.district)
    Finding.objects.create(
        assessment=assessment,
        rule="hq_startup_and_rent_subsidy",
        measure=measure(number),
        bureau=bureau("sh-commerce"),
    )


def test_the_funnel_counts_each_centre_once_per_step_and_matches_a_recount(
    client_for, manager, xuhui_commissioner, city_commissioner
):
    centres = [CentreFactory(district=district("xuhui")) for _ in range(4)] + [
        CentreFactory(district=district("pudong"))
    ]
    for centre in centres[:4]:
        _eligible(centre)
    Finding.objects.create(
        assessment=Assessment.objects.filter(centre=centres[0]).first(),
        rule="needs_attention",
        measure=measure(9),
        bureau=bureau("sh-commerce"),
    )  # a call for closer service, not an eligibility
    for centre in centres[:3]:
        _briefed(centre, number=8, on=TODAY() - timedelta(days=10), by=city_commissioner)
    _briefed(
        centres[0], number=8, on=TODAY() - timedelta(days=5), by=city_commissioner
    )  # twice: counted once
    _briefed(centres[4], number=8, on=TODAY() - timedelta(days=5), by=city_commissioner)
    for centre, status in (
        (centres[0], "granted"),
        (centres[1], "refused"),
        (centres[2], "considering"),
        (centres[4], "applied"),
    ):
        Benefit.objects.create(
            centre=centre,
            measure=measure(8),
            title="HQ subsidy",
            status=status,
            entered_by=city_commissioner,
            decided_on=TODAY() if status in ("granted", "refused") else None,
        )
    Benefit.objects.create(
        centre=centres[0],
        measure=measure(8),
        title="Second year",
        status="granted",
        decided_on=TODAY(),
        entered_by=city_commissioner,
    )

    rows = {row["measure"]: row for row in client_for(manager).get("/api/landing/funnel/").json()}
    eight = rows[measure(8).pk]
    assert (eight["eligible"], eight["briefed"], eight["applied"], eight["granted"]) == (4, 4, 3, 1)
    assert rows[measure(9).pk]["eligible"] == 0

    # A recount from the rows themselves, step by step.
    recount = {
        "briefed": Briefing.objects.filter(measures=measure(8)).values("centres").distinct().count(),
        "applied": Benefit.objects.filter(measure=measure(8))
        .exclude(status="considering")
        .values("centre")
        .distinct()
        .count(),
        "granted": Benefit.objects.filter(measure=measure(8), status="granted")
        .values("centre")
        .distinct()
        .count(),
    }
    assert recount == {"briefed": eight["briefed"], "applied": eight["applied"], "granted": eight["granted"]}

    xuhui = {row["measure"]: row for row in client_for(xuhui_commissioner).get("/api/landing/funnel/").json()}
    assert (xuhui[measure(8).pk]["briefed"], xuhui[measure(8).pk]["applied"]) == (3, 2)

    later = (
        client_for(manager).get("/api/landing/funnel/", {"since": str(TODAY() - timedelta(days=7))}).json()
    )
    assert {row["measure"]: row for row in later}[measure(8).pk]["briefed"] == 2
    assert client_for(manager).get("/api/landing/funnel/", {"since": "not a day"}).status_code == 400


def test_briefing_coverage_per_measure_and_district_matches_a_recount(
    client_for, manager, xuhui_commissioner, city_commissioner, django_assert_max_num_queries
):
    xuhui = [CentreFactory(district=district("xuhui")) for _ in range(3)]
    pudong = [CentreFactory(district=district("pudong")) for _ in range(2)]
    closed = CentreFactory(district=district("xuhui"), status="closed")
    _eligible(xuhui[0])
    _eligible(xuhui[1])
    _eligible(pudong[0])
    _briefed(xuhui[0], number=8, on=TODAY() - timedelta(days=3), by=city_commissioner)
    _briefed(xuhui[0], number=8, on=TODAY() - timedelta(days=2), by=city_commissioner)  # twice: once
    _briefed(xuhui[2], number=8, on=TODAY() - timedelta(days=40), by=city_commissioner)
    _briefed(pudong[1], number=3, on=TODAY() - timedelta(days=3), by=city_commissioner)
    _briefed(closed, number=8, on=TODAY() - timedelta(days=3), by=city_commissioner)  # not active

    client = client_for(manager)
    with django_assert_max_num_queries(9):
        rows = client.get("/api/landing/coverage/").json()
    by_key = {(row["number"], row["programme"], row["district"]): row for row in rows}
    eight_xuhui = by_key[(8, "shanghai_2024", "xuhui")]
    assert (
        eight_xuhui["active_centres"],
        eight_xuhui["briefed"],
        eight_xuhui["eligible"],
        eight_xuhui["eligible_briefed"],
    ) == (3, 2, 2, 1)
    eight_pudong = by_key[(8, "shanghai_2024", "pudong")]
    assert (eight_pudong["briefed"], eight_pudong["eligible"], eight_pudong["eligible_briefed"]) == (0, 1, 0)
    assert by_key[(3, "shanghai_2024", "pudong")]["briefed"] == 1

    # The same from the rows themselves.
    for (number, programme, code), row in by_key.items():
        recount = (
            Briefing.objects.filter(
                measures__number=number,
                measures__programme=programme,
                centres__district__code=code,
                centres__status="active",
            )
            .values("centres")
            .distinct()
            .count()
        )
        assert row["briefed"] == recount, (number, code)

    recent = {
        (row["number"], row["programme"], row["district"]): row
        for row in client.get("/api/landing/coverage/", {"since": str(TODAY() - timedelta(days=7))}).json()
    }
    assert recent[(8, "shanghai_2024", "xuhui")]["briefed"] == 1

    districts = {
        row["district"] for row in client_for(xuhui_commissioner).get("/api/landing/coverage/").json()
    }
    assert districts == {"xuhui"}

    exported = client.get("/api/landing/coverage.csv")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    assert exported.content.decode("utf-8-sig").count("\n") == len(rows) + 1
