"""The policy landing pages over the API's services: briefings given to many centres at once, their
questions logged as cases, campaigns and how far they have come, benefits moved on without silent
overwrites, a centre's landing panel, and what became of an eligibility; each page for the roles it
is for, in a number of queries that does not grow with the rows."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Finding
from cases.models import Case
from centres.models import CentreStatus
from commissioners.models import Role
from core.time import local_today
from core.versioning import version_of
from landing import services
from landing.models import Benefit, Briefing, BriefingCampaign, BriefingMaterial, BriefingQuestion
from landing.pages.benefits import SAVED_MEANWHILE
from landing.pages.views import LISTED_CENTRES
from tests.assessments.test_assessments import cycle  # noqa: F401 (a fixture)
from tests.assessments.test_finding_outcomes import eligible  # noqa: F401 (a fixture)
from tests.factories import CentreFactory, UserFactory, bureau, district, shanghai_measure
from tests.pages import page_client

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%fake but well-headed\n"
ALL_ROLES = frozenset(Role.values)
WRITERS = frozenset({Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER, Role.BUREAU_STAFF})
CAMPAIGN_READERS = frozenset(
    {Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER, Role.MANAGER, Role.ADMINISTRATOR}
)


def _days_ago(days: int):
    return local_today() - timedelta(days=days)


def _briefing(actor, centres, *, numbers=(8,), title="Measure 8: the headquarters subsidies", **extra):
    return services.briefing_record(
        actor=actor,
        held_on=_days_ago(3),
        format="seminar",
        title=title,
        measures=[shanghai_measure(n) for n in numbers],
        centres=list(centres),
        **extra,
    )


def _benefit(actor, centre, **extra):
    fields = {
        "centre": centre,
        "measure": shanghai_measure(8),
        "title": "Regional HQ rent subsidy",
        "status": "applied",
        "applied_on": _days_ago(30),
    } | extra
    return services.benefit_record(actor=actor, **fields)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/landing/briefings/", ALL_ROLES),
        ("/landing/briefings/new/", WRITERS),
        ("/landing/campaigns/", CAMPAIGN_READERS),
        ("/landing/campaigns/new/", {Role.CITY_COMMISSIONER}),
        ("/landing/benefits/", ALL_ROLES),
        ("/landing/benefits/new/", WRITERS),
    ],
)
def test_each_page_opens_for_the_roles_it_is_for_and_tells_the_others_whose_it_is(
    url, allowed, users_by_role, xuhui_centre
):
    for role, user in users_by_role.items():
        response = page_client(user).get(url)
        if role in allowed:
            assert response.status_code == 200, (role, url)
            assert b'data-testid="landing-tabs"' in response.content
        else:
            assert response.status_code == 403, (role, url)
            assert b'data-testid="forbidden"' in response.content


def test_anonymous_visitors_are_sent_to_the_login(client):
    for url in ("/landing/briefings/", "/landing/benefits/new/", "/landing/centres/1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_the_menu_names_policy_landing_for_the_roles_that_use_it(users_by_role):
    for role, user in users_by_role.items():
        page = page_client(user).get("/landing/briefings/").content.decode()
        assert ('data-testid="menu-landing"' in page) == (role != Role.ADMINISTRATOR), role


def test_a_briefing_is_seen_by_whom_it_concerns_and_a_404_for_the_rest(
    xuhui_commissioner, pudong_commissioner, city_commissioner, manager, bureau_staff, xuhui_centre
):
    briefing = _briefing(xuhui_commissioner, [xuhui_centre])
    url = f"/landing/briefings/{briefing.pk}/"
    for user in (xuhui_commissioner, city_commissioner, manager):
        response = page_client(user).get(url)
        assert response.status_code == 200
        assert briefing.title in response.content.decode()
    for user in (pudong_commissioner, bureau_staff):
        assert page_client(user).get(url).status_code == 404
        assert briefing.pk not in [b.pk for b in page_client(user).get("/landing/briefings/").context["page"]]


def test_recording_a_briefing_of_several_centres_with_a_material_writes_it_once_through_the_service(
    xuhui_commissioner, xuhui_centre
):
    second = CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner)
    client = page_client(xuhui_commissioner)
    form = client.get("/landing/briefings/new/")
    chooser = form.context["chooser"]
    assert not chooser["searchable"] and {c.pk for c in chooser["centres"]} == {xuhui_centre.pk, second.pk}

    response = client.post(
        "/landing/briefings/new/",
        {
            "held_on": _days_ago(2).isoformat(),
            "format": "visit",
            "title": "Measures 3 and 8 explained",
            "measures": [shanghai_measure(3).pk, shanghai_measure(8).pk],
            "centres": [xuhui_centre.pk, second.pk],
            "notes": "Both labs came.",
            "materials": [SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf")],
        },
    )

    assert response.status_code == 303, response.content.decode()[:2000]
    briefing = Briefing.objects.get()
    assert response["Location"] == f"/landing/briefings/{briefing.pk}/"
    assert set(briefing.centres.values_list("pk", flat=True)) == {xuhui_centre.pk, second.pk}
    assert set(briefing.measures.values_list("number", flat=True)) == {3, 8}
    assert briefing.district_id == xuhui_commissioner.district_id and briefing.given_by == xuhui_commissioner
    assert briefing.changes.filter(pgh_label="insert").exists()  # the history has it
    material = BriefingMaterial.objects.get(briefing=briefing)
    page = client.get(response["Location"])
    assert "slides.pdf" in page.content.decode()
    assert b'data-testid="material-form"' in page.content  # the district's own briefing
    added = client.post(
        f"/landing/briefings/{briefing.pk}/materials/",
        {"materials": [SimpleUploadedFile("leaflet.pdf", PDF, content_type="application/pdf")]},
    )
    assert added.status_code == 303 and briefing.materials.count() == 2
    download = client.get(f"/landing/briefings/{briefing.pk}/materials/{material.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"centres": []}, None, services.NO_CENTRES),
        ({"held_on": (local_today() + timedelta(days=1)).isoformat()}, "held_on", services.IN_THE_FUTURE),
        ({"title": "   "}, "title", None),
        ({"measures": []}, "measures", None),
        (
            {
                "materials": [
                    SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
                ]
            },
            "materials",
            None,
        ),
    ],
)
def test_a_refused_briefing_comes_back_with_the_reason_and_writes_nothing(
    change, field, message, xuhui_commissioner, xuhui_centre
):
    body = {
        "held_on": _days_ago(1).isoformat(),
        "format": "visit",
        "title": "A visit",
        "measures": [shanghai_measure(8).pk],
        "centres": [xuhui_centre.pk],
        "notes": "Kept when refused",
    } | change
    response = page_client(xuhui_commissioner).post("/landing/briefings/new/", body)

    assert response.status_code == 400
    form = response.context["form"]
    errors = form.errors.get(field or "__all__") or form.errors.get("centres")
    assert errors, form.errors
    if message is not None:
        assert str(message) in " ".join(str(e) for e in form.errors.values())
    assert "Kept when refused" in response.content.decode()
    assert not Briefing.objects.exists() and not BriefingMaterial.objects.exists()


def test_a_district_cannot_name_another_districts_centre(xuhui_commissioner, pudong_centre, xuhui_centre):
    response = page_client(xuhui_commissioner).post(
        "/landing/briefings/new/",
        {
            "held_on": _days_ago(1).isoformat(),
            "format": "visit",
            "title": "A visit",
            "measures": [shanghai_measure(8).pk],
            "centres": [xuhui_centre.pk, pudong_centre.pk],
        },
    )
    assert response.status_code == 400
    assert "centres" in response.context["form"].errors
    assert not Briefing.objects.exists()


def test_the_city_finds_centres_by_name_when_it_may_name_many(city_commissioner):
    for index in range(LISTED_CENTRES + 1):
        CentreFactory(district=district("xuhui"), name_en=f"Lab {index:03d}")
    wanted = CentreFactory(district=district("pudong"), name_en="Quantum Optics Lab")
    closed = CentreFactory(
        district=district("pudong"), name_en="Quantum Closed Lab", status=CentreStatus.CLOSED
    )
    client = page_client(city_commissioner)

    form = client.get("/landing/briefings/new/")
    assert form.context["chooser"]["searchable"] and form.context["chooser"]["centres"] == []

    found = client.get("/landing/briefings/centres/", {"q": "Quantum"}, HTTP_HX_REQUEST="true")
    assert found.status_code == 200
    ids = [int(i) for i in found.content.decode().split('data-centre-id="')[1:] for i in [i.split('"')[0]]]
    assert ids == [wanted.pk] and closed.pk not in ids

    # Without a script the search sends the form, which comes back as filled in, with what was found.
    again = client.post(
        "/landing/briefings/new/",
        {
            "find": "1",
            "q": "Quantum",
            "title": "Kept",
            "centres": [wanted.pk],
            "measures": [shanghai_measure(8).pk],
        },
    )
    assert again.status_code == 200 and not Briefing.objects.exists()
    assert again.context["chooser"]["chosen"] == {wanted.pk}
    assert 'value="Kept"' in again.content.decode()


def test_the_city_finds_a_benefits_centre_by_name_and_a_stray_nul_is_no_500(city_commissioner):
    for index in range(LISTED_CENTRES + 1):
        CentreFactory(district=district("xuhui"), name_en=f"Lab {index:03d}")
    wanted = CentreFactory(district=district("pudong"), name_en="Quantum Optics Lab")
    client = page_client(city_commissioner)

    found = client.post(
        "/landing/benefits/new/", {"find": "1", "q": "Quantum", "title": "Kept", "status": "applied"}
    )
    assert found.status_code == 200 and not Benefit.objects.exists()
    assert [c.pk for c in found.context["chooser"]["centres"]] == [wanted.pk]
    assert 'value="Kept"' in found.content.decode()
    radio = client.get(
        "/landing/briefings/centres/", {"q": "Quantum", "kind": "radio"}, HTTP_HX_REQUEST="true"
    )
    assert f'type="radio" name="centre" value="{wanted.pk}"' in radio.content.decode()
    assert client.get("/landing/briefings/centres/", {"q": "Quan\x00tum"}).status_code == 200
    assert client.post("/landing/briefings/new/", {"find": "1", "q": "\x00"}).status_code == 200


def test_the_district_logs_a_question_as_a_case_from_the_briefing_page(
    xuhui_commissioner, city_commissioner, xuhui_centre
):
    briefing = _briefing(
        city_commissioner,
        [xuhui_centre],
        questions=[{"centre": xuhui_centre, "question": "Does the rent subsidy cover the lab floor?"}],
    )
    question = BriefingQuestion.objects.get()
    client = page_client(xuhui_commissioner)
    page = client.get(f"/landing/briefings/{briefing.pk}/")
    assert b'data-testid="log-question-form"' in page.content
    assert (
        b'data-testid="log-question-form"'
        not in page_client(city_commissioner).get(f"/landing/briefings/{briefing.pk}/").content
    )

    url = f"/landing/briefings/{briefing.pk}/questions/{question.pk}/log-case/"
    refused = client.post(
        url, {f"q{question.pk}-measure": shanghai_measure(8).pk, f"q{question.pk}-title": ""}
    )
    assert refused.status_code == 400 and not Case.objects.exists()

    logged = client.post(
        url,
        {f"q{question.pk}-measure": shanghai_measure(8).pk, f"q{question.pk}-title": "Rent subsidy scope"},
    )
    case = Case.objects.get()
    assert logged.status_code == 303 and logged["Location"] == f"/cases/{case.pk}/"
    question.refresh_from_db()
    assert question.case == case and case.source == "briefing"
    again = client.post(
        url, {f"q{question.pk}-measure": shanghai_measure(8).pk, f"q{question.pk}-title": "Twice"}
    )
    assert again.status_code == 400 and str(services.QUESTION_ALREADY_LOGGED) in again.content.decode()
    assert page_client(city_commissioner).post(url, {}).status_code == 403
    # The city's briefing: the district reads it, and adds no material to it.
    assert b'data-testid="material-form"' not in page.content
    refused = client.post(
        f"/landing/briefings/{briefing.pk}/materials/",
        {"materials": [SimpleUploadedFile("mine.pdf", PDF, content_type="application/pdf")]},
    )
    assert refused.status_code == 403 and str(services.NOT_YOUR_BRIEFING) in refused.content.decode()
    assert not briefing.materials.exists()


def test_the_city_sets_a_campaign_and_reads_its_progress_per_district(
    city_commissioner, xuhui_commissioner, manager, bureau_staff, xuhui_centre, pudong_centre
):
    client = page_client(city_commissioner)
    refused = client.post(
        "/landing/campaigns/new/",
        {
            "title": "Backwards",
            "measure": shanghai_measure(8).pk,
            "starts_on": "2026-06-01",
            "due_on": "2026-05-01",
        },
    )
    assert refused.status_code == 400 and "due_on" in refused.context["form"].errors
    assert not BriefingCampaign.objects.exists()

    created = client.post(
        "/landing/campaigns/new/",
        {
            "title": "Everyone on measure 8",
            "measure": shanghai_measure(8).pk,
            "centre_type": "",
            "starts_on": _days_ago(30).isoformat(),
            "due_on": (local_today() + timedelta(days=30)).isoformat(),
        },
    )
    campaign = BriefingCampaign.objects.get()
    assert created.status_code == 303 and created["Location"] == f"/landing/campaigns/{campaign.pk}/"
    _briefing(city_commissioner, [xuhui_centre])

    page = client.get(created["Location"])
    progress = {row["code"]: (row["briefed"], row["aimed_at"]) for row in page.context["districts"]}
    assert progress == {"xuhui": (1, 1), "pudong": (0, 1)}
    assert (page.context["progress"].briefed, page.context["progress"].aimed_at) == (1, 2)
    assert b"<progress" in page.content
    xuhui = page_client(xuhui_commissioner).get(created["Location"]).context["districts"]
    assert [row["code"] for row in xuhui] == ["xuhui"]
    assert page_client(manager).get("/landing/campaigns/").status_code == 200
    assert page_client(bureau_staff).get(created["Location"]).status_code == 403


def test_a_benefit_is_recorded_and_refused_in_the_services_words(
    xuhui_commissioner, xuhui_centre, pudong_centre
):
    client = page_client(xuhui_commissioner)
    body = {
        "centre": xuhui_centre.pk,
        "measure": shanghai_measure(8).pk,
        "title": "Rent subsidy",
        "status": "granted",
        "applied_on": _days_ago(20).isoformat(),
        "amount": "150000.00",
    }
    refused = client.post("/landing/benefits/new/", body)
    assert refused.status_code == 400
    assert str(services.DECIDED_NEEDS_DAY) in " ".join(refused.context["form"].errors["decided_on"])
    assert 'value="150000.00"' in refused.content.decode()
    assert client.post("/landing/benefits/new/", body | {"centre": pudong_centre.pk}).status_code == 400
    assert not Benefit.objects.exists()

    saved = client.post("/landing/benefits/new/", body | {"decided_on": _days_ago(1).isoformat()})
    benefit = Benefit.objects.get()
    assert saved.status_code == 303 and saved["Location"] == f"/landing/benefits/{benefit.pk}/"
    assert (benefit.status, benefit.amount, benefit.entered_by) == ("granted", 150000, xuhui_commissioner)


def test_a_bureau_records_its_own_grant_without_naming_its_bureau(xuhui_centre):
    commerce = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-commerce"))
    form = page_client(commerce).get(f"/landing/benefits/new/?centre={xuhui_centre.pk}")
    assert "granting_bureau" not in form.context["form"].fields
    saved = page_client(commerce).post(
        "/landing/benefits/new/",
        {
            "centre": xuhui_centre.pk,
            "measure": shanghai_measure(8).pk,
            "title": "HQ subsidy",
            "status": "considering",
        },
    )
    assert saved.status_code == 303
    assert Benefit.objects.get().granting_bureau == commerce.bureau


def test_a_benefit_moves_on_with_its_reason_and_is_seen_by_whom_it_concerns(
    xuhui_commissioner, pudong_commissioner, manager, bureau_staff, xuhui_centre
):
    benefit = _benefit(xuhui_commissioner, xuhui_centre)
    client = page_client(xuhui_commissioner)
    page = client.get(f"/landing/benefits/{benefit.pk}/")
    version = page.context["form"]["version"].value()
    assert version == version_of(benefit)

    saved = client.post(
        f"/landing/benefits/{benefit.pk}/",
        {
            "title": benefit.title,
            "status": "granted",
            "applied_on": benefit.applied_on.isoformat(),
            "decided_on": _days_ago(1).isoformat(),
            "amount": "300000",
            "reason": "Notice 2026-14",
            "version": version,
        },
    )
    assert saved.status_code == 303
    benefit.refresh_from_db()
    assert benefit.status == "granted"
    assert benefit.changes.filter(pgh_label="update").last().pgh_context["reason"] == "Notice 2026-14"

    managed = page_client(manager).get(f"/landing/benefits/{benefit.pk}/")
    assert managed.status_code == 200 and managed.context["form"] is None
    assert page_client(manager).post(f"/landing/benefits/{benefit.pk}/", {}).status_code == 403
    assert page_client(pudong_commissioner).get(f"/landing/benefits/{benefit.pk}/").status_code == 404
    assert page_client(bureau_staff).get(f"/landing/benefits/{benefit.pk}/").status_code == 404


def test_a_stale_benefit_form_is_refused_and_keeps_every_entry(
    xuhui_commissioner, city_commissioner, xuhui_centre
):
    benefit = _benefit(xuhui_commissioner, xuhui_centre)
    read_at = version_of(benefit)
    # Someone else saves it meanwhile.
    services.benefit_update(benefit=benefit, actor=city_commissioner, note="Checked by the city")
    benefit.refresh_from_db()
    saved_meanwhile = version_of(benefit)

    response = page_client(xuhui_commissioner).post(
        f"/landing/benefits/{benefit.pk}/",
        {
            "title": "Rent subsidy, phase two",
            "status": "applied",
            "applied_on": benefit.applied_on.isoformat(),
            "amount": "987654.32",
            "note": "My own note",
            "reason": "Corrected the title",
            "version": read_at,
        },
    )

    assert response.status_code == 412
    page = response.content.decode()
    assert str(SAVED_MEANWHILE) in page
    for entry in ("Rent subsidy, phase two", "987654.32", "My own note", "Corrected the title"):
        assert entry in page, entry
    assert "Checked by the city" in page  # the benefit as it is now, beside them
    assert response.context["form"]["version"].value() == saved_meanwhile
    benefit.refresh_from_db()
    assert (benefit.title, benefit.amount, benefit.note) == (
        "Regional HQ rent subsidy",
        None,
        "Checked by the city",
    )


def test_the_lists_answer_in_a_fixed_number_of_queries(
    city_commissioner, xuhui_commissioner, django_assert_max_num_queries
):
    centres = [CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner) for _ in range(6)]
    for index in range(30):
        _briefing(city_commissioner, centres[index % 6 :], numbers=(3, 8), title=f"Briefing {index}")
        _benefit(city_commissioner, centres[index % 6], title=f"Benefit {index}")
    for index in range(12):
        services.campaign_create(
            actor=city_commissioner,
            title=f"Campaign {index}",
            measure=shanghai_measure(8),
            centre_type="",
            starts_on=_days_ago(40),
            due_on=_days_ago(1),
        )
    client = page_client(city_commissioner)
    with django_assert_max_num_queries(12):
        briefings = client.get("/landing/briefings/")
    assert len(briefings.context["page"]) == 30
    with django_assert_max_num_queries(10):
        benefits = client.get("/landing/benefits/")
    assert len(benefits.context["page"]) == 30
    # A campaign's progress is one grouped query; a page holds ten campaigns.
    with django_assert_max_num_queries(10 + 10):
        campaigns = client.get("/landing/campaigns/")
    assert len(campaigns.context["rows"]) == 10


def test_a_briefings_page_answers_in_a_fixed_number_of_queries(
    xuhui_commissioner, django_assert_max_num_queries
):
    centres = [CentreFactory(district=district("xuhui"), commissioner=xuhui_commissioner) for _ in range(8)]
    questions = [{"centre": centre, "question": f"Question {n}"} for n, centre in enumerate(centres)]
    briefing = _briefing(xuhui_commissioner, centres, numbers=(3, 8), questions=questions)
    for n in range(3):
        services.briefing_add_material(
            briefing=briefing,
            actor=xuhui_commissioner,
            upload=SimpleUploadedFile(f"m{n}.pdf", PDF, content_type="application/pdf"),
        )
    client = page_client(xuhui_commissioner)
    with django_assert_max_num_queries(14):
        page = client.get(f"/landing/briefings/{briefing.pk}/")
    assert page.content.decode().count('data-testid="log-question-form"') == 8


def test_the_lists_filter_and_refuse_bad_filters_in_words(city_commissioner, xuhui_centre):
    _briefing(city_commissioner, [xuhui_centre], numbers=(3,), title="On measure 3")
    _briefing(city_commissioner, [xuhui_centre], numbers=(8,), title="On measure 8")
    _benefit(city_commissioner, xuhui_centre, title="Applied one")
    client = page_client(city_commissioner)
    found = client.get("/landing/briefings/", {"measure": shanghai_measure(3).pk})
    assert [b.title for b in found.context["page"]] == ["On measure 3"]
    assert client.get("/landing/briefings/", {"held_after": "not a day"}).status_code == 400
    assert [b.title for b in client.get("/landing/benefits/", {"status": "applied"}).context["page"]] == [
        "Applied one"
    ]
    assert list(client.get("/landing/benefits/", {"status": "granted"}).context["page"]) == []
    assert client.get("/landing/benefits/", {"status": "promised"}).status_code == 400
    assert client.get("/landing/benefits/", {"centre": xuhui_centre.pk}).status_code == 200


def test_the_centre_page_loads_its_landing_panel(
    xuhui_commissioner, pudong_commissioner, city_commissioner, xuhui_centre
):
    _briefing(city_commissioner, [xuhui_centre], numbers=(3, 8))
    _briefing(city_commissioner, [xuhui_centre], numbers=(8,))
    _benefit(city_commissioner, xuhui_centre, title="HQ rent subsidy")
    centre_page = page_client(xuhui_commissioner).get(f"/centres/{xuhui_centre.pk}/").content.decode()
    assert f'hx-get="/landing/centres/{xuhui_centre.pk}/"' in centre_page

    panel = page_client(xuhui_commissioner).get(
        f"/landing/centres/{xuhui_centre.pk}/", HTTP_HX_REQUEST="true"
    )
    assert panel.status_code == 200
    assert {row["measure"].number: row["times"] for row in panel.context["briefed"]} == {3: 1, 8: 2}
    assert "HQ rent subsidy" in panel.content.decode()
    assert b"<html" not in panel.content  # the part alone, for htmx
    assert b"<html" in page_client(xuhui_commissioner).get(f"/landing/centres/{xuhui_centre.pk}/").content
    assert page_client(pudong_commissioner).get(f"/landing/centres/{xuhui_centre.pk}/").status_code == 404


def test_the_outcome_of_an_eligibility_is_recorded_on_the_assessment_page(
    eligible,  # noqa: F811 (the imported fixture)
    xuhui_commissioner,
    pudong_commissioner,
    manager,
):
    assessment_page = page_client(xuhui_commissioner).get(f"/assessments/{eligible.assessment_id}/")
    assert (
        f'hx-get="/landing/assessments/{eligible.assessment_id}/findings/"'
        in assessment_page.content.decode()
    )
    client = page_client(xuhui_commissioner)
    panel = client.get(f"/landing/assessments/{eligible.assessment_id}/findings/", HTTP_HX_REQUEST="true")
    assert panel.status_code == 200
    row = next(r for r in panel.context["rows"] if r["finding"].pk == eligible.pk)
    assert row["form"] is not None

    url = f"/landing/findings/{eligible.pk}/outcome/"
    unknown = client.post(url, {f"f{eligible.pk}-outcome": "promised"}, HTTP_HX_REQUEST="true")
    assert unknown.status_code == 400 and Finding.objects.get(pk=eligible.pk).outcome == ""
    recorded = client.post(
        url,
        {f"f{eligible.pk}-outcome": "briefed", f"f{eligible.pk}-note": "At the May seminar"},
        HTTP_HX_REQUEST="true",
    )
    assert recorded.status_code == 200 and b'data-testid="findings-done"' in recorded.content
    eligible.refresh_from_db()
    assert (eligible.outcome, eligible.status, eligible.handled_by) == (
        "briefed",
        "acted_on",
        xuhui_commissioner,
    )

    again = client.post(url, {f"f{eligible.pk}-outcome": "granted"})
    assert again.status_code == 409 and b'data-testid="findings-refused"' in again.content
    assert Finding.objects.get(pk=eligible.pk).outcome == "briefed"
    assert page_client(manager).post(url, {f"f{eligible.pk}-outcome": "granted"}).status_code == 403
    assert (
        page_client(pudong_commissioner).post(url, {f"f{eligible.pk}-outcome": "granted"}).status_code == 404
    )
