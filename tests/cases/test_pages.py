"""The workbench pages over the same services as the API: start pages, the inbox, the city's queues,
the search, the case page and its moves, and the query counts that must not grow with the data."""

from datetime import date, timedelta
from html import unescape

import pytest

from cases.models import Case, CaseEvent, CaseState, SavedCaseView, Supervision
from cases.services import case_supervise
from cases.services.workflow import OVERRIDE_NEEDS_REASON
from commissioners.models import Notification, Role
from core.time import local_today
from tests.factories import UserFactory, bureau
from tests.pages import page_client

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("role", "start"),
    [
        (Role.CITY_COMMISSIONER, "/city/"),
        (Role.BUREAU_STAFF, "/inbox/"),
        (Role.DISTRICT_COMMISSIONER, "/centres/"),
        (Role.MANAGER, "/dashboard/"),
        (Role.ADMINISTRATOR, "/dashboard/"),
    ],
)
def test_each_user_lands_on_their_own_start_page(role, start, users_by_role):
    response = page_client(users_by_role[role]).get("/")

    assert response.status_code == 302
    assert response["Location"] == start
    assert page_client(users_by_role[role]).get(start).status_code == 200


def test_a_visitor_is_sent_to_the_one_login(client):
    for path in ("/", "/inbox/", "/city/", "/cases/", "/cases/1/", "/notifications/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_the_login_lands_on_the_start_page_and_old_dashboard_links_still_arrive(client, city_commissioner):
    from tests.factories import PASSWORD

    assert client.get("/dashboard/login/?next=/dashboard/")["Location"] == "/login/?next=/dashboard/"
    response = client.post("/login/", {"username": city_commissioner.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/city/"
    # One session for the pages, the dashboard and the API.
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/api/auth/me/").status_code == 200


def test_a_page_for_another_role_says_whose_it_is(users_by_role):
    response = page_client(users_by_role[Role.BUREAU_STAFF]).get("/city/")

    assert response.status_code == 403
    assert "city commissioner" in text(response)


def test_the_inbox_lists_every_kind_of_work_soonest_first_with_counts(
    case_in_state, science_staff, city_commissioner
):
    to_answer = case_in_state(CaseState.IN_PROGRESS, answer_due_on=date(2030, 2, 1), co_contributed=True)
    to_accept = case_in_state(CaseState.DISPATCHED, accept_due_on=date(2020, 1, 6))
    case_supervise(
        case=to_answer, actor=city_commissioner, note="Reply by the date.", due_on=date(2030, 1, 10)
    )
    case_in_state(CaseState.SUBMITTED)  # not routed yet

    response = page_client(science_staff).get("/inbox/")

    html = text(response)
    rows = [
        (row.split('data-action="')[1].split('"')[0]) for row in html.split('data-testid="inbox-row"')[1:]
    ]
    assert rows == ["accept", "reply_supervision", "answer"]
    assert 'data-testid="count-all">3<' in html
    assert 'data-testid="count-reply_supervision">1<' in html
    assert 'data-testid="overdue-count"' in html  # the acceptance due in 2020
    assert f'href="/cases/{to_accept.pk}/"' in html


def test_the_inbox_tab_is_one_kind_of_work_and_an_htmx_request_gets_the_list_alone(
    case_in_state, science_staff
):
    case_in_state(CaseState.IN_PROGRESS, co_contributed=True)
    case_in_state(CaseState.DISPATCHED)

    client = page_client(science_staff)
    response = client.get(
        "/inbox/", {"action": "answer"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-list"
    )
    # htmx following a form's redirect (aimed at the whole page) gets the whole page.
    followed = client.get("/inbox/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")

    assert 'id="main"' in text(followed)
    assert "HX-Request" in response["Vary"]
    html = text(response)
    assert html.lstrip().startswith('<div id="inbox-list"')
    assert html.count('data-testid="inbox-row"') == 1
    assert 'data-action="answer"' in html


def test_the_api_inbox_includes_supervisions_to_reply_to(
    case_in_state, science_staff, city_commissioner, client_for
):
    case = case_in_state(CaseState.IN_PROGRESS, co_contributed=True)
    case_supervise(case=case, actor=city_commissioner, note="Reply.", due_on=date(2030, 1, 10))

    rows = client_for(science_staff).get("/api/inbox/").json()["results"]

    assert [(r["case"], r["action"], r["due_on"]) for r in rows] == [
        (case.pk, "reply_supervision", "2030-01-10"),
        (case.pk, "answer", "2030-01-20"),
    ]


@pytest.mark.parametrize("cases", [1, 12])
def test_the_inbox_page_costs_the_same_queries_whatever_the_data(
    cases, case_in_state, science_staff, city_commissioner, django_assert_max_num_queries
):
    for n in range(cases):
        case = case_in_state(CaseState.IN_PROGRESS if n % 2 else CaseState.DISPATCHED, co_contributed=True)
        if n % 3 == 0:
            case_supervise(case=case, actor=city_commissioner, note="Reply.")
    client = page_client(science_staff)

    with django_assert_max_num_queries(10):
        response = client.get("/inbox/")

    assert response.status_code == 200


@pytest.mark.parametrize("history", [0, 15])
def test_the_case_page_costs_the_same_queries_whatever_its_history(
    history, case_in_state, science_staff, django_assert_max_num_queries
):
    case = case_in_state(CaseState.IN_PROGRESS, co_contributed=True)
    for n in range(history):
        CaseEvent.objects.create(case=case, actor=science_staff, action="accept", note=f"note {n}")
        case.comments.create(author=science_staff, body=f"comment {n}")
    client = page_client(science_staff)

    with django_assert_max_num_queries(13):
        response = client.get(f"/cases/{case.pk}/")

    assert response.status_code == 200
    assert text(response).count('data-testid="history-line"') == history


@pytest.mark.parametrize("cases", [1, 12])
def test_the_city_page_costs_the_same_queries_whatever_the_data(
    cases, case_in_state, city_commissioner, django_assert_max_num_queries
):
    for n in range(cases):
        state = [CaseState.SUBMITTED, CaseState.IN_PROGRESS, CaseState.REFERRED_UP][n % 3]
        case = case_in_state(state)
        if n % 2:
            case_supervise(case=case, actor=city_commissioner, note="Chase.")
    client = page_client(city_commissioner)

    with django_assert_max_num_queries(16):
        response = client.get("/city/")

    assert response.status_code == 200


def test_the_city_page_lists_triage_returns_and_referrals(case_in_state, city_commissioner):
    logged = case_in_state(CaseState.SUBMITTED)
    returned = case_in_state(CaseState.SUBMITTED)
    Case.objects.filter(pk=logged.pk).update(triage_due_on=local_today() + timedelta(days=3))
    Case.objects.filter(pk=returned.pk).update(return_pending=True)
    referred = case_in_state(CaseState.REFERRED_UP, referral_due_on=date(2030, 3, 1))

    html = text(page_client(city_commissioner).get("/city/"))

    def section(key):
        return html.split(f'data-testid="section-{key}"')[1].split("</section>")[0]

    assert f'data-case-id="{logged.pk}"' in section("triage")
    assert f'data-case-id="{returned.pk}"' in section("returns")
    assert f'data-case-id="{returned.pk}"' not in section("triage")
    assert f'data-case-id="{referred.pk}"' in section("referrals")
    assert 'data-days-left="' in section("triage")


def test_the_dispatch_form_is_filled_with_the_routing_proposal(submitted_case, city_commissioner):
    html = text(page_client(city_commissioner).get(f"/cases/{submitted_case.pk}/"))
    form = html.split('data-testid="move-dispatch"')[1].split("</form>")[0]

    assert '<option value="sh-science-technology" selected>' in form
    assert 'value="sh-finance" checked' in form


def test_a_dispatch_from_the_page_is_the_services_move(submitted_case, city_commissioner, science_staff):
    response = page_client(city_commissioner).post(
        f"/cases/{submitted_case.pk}/moves/dispatch/",
        {
            "lead_bureau": "sh-science-technology",
            "co_bureaus": ["sh-finance"],
            "measure": submitted_case.measure_id,
        },
    )

    assert response.status_code == 303
    assert response["Location"] == f"/cases/{submitted_case.pk}/"
    submitted_case.refresh_from_db()
    assert submitted_case.state == CaseState.DISPATCHED
    assert submitted_case.events.filter(action="dispatch", actor=city_commissioner).exists()
    assert Notification.objects.filter(recipient=science_staff, kind="case_dispatched").exists()


def test_a_changed_routing_without_a_reason_is_refused_on_the_form_and_changes_nothing(
    submitted_case, city_commissioner
):
    response = page_client(city_commissioner).post(
        f"/cases/{submitted_case.pk}/moves/dispatch/", {"lead_bureau": "sh-customs", "co_bureaus": []}
    )

    assert response.status_code == 400
    form = text(response).split('data-testid="move-dispatch"')[1].split("</form>")[0]
    # The service's words, under the input they are about.
    after_reason_input = form.split('data-testid="move-dispatch-override_reason"')[1]
    first_error = after_reason_input.split('data-testid="field-error">')[1].split("</p>")[0]
    assert unescape(first_error) == str(OVERRIDE_NEEDS_REASON)
    assert '<option value="sh-customs" selected>' in form  # what the user sent is kept
    submitted_case.refresh_from_db()
    assert submitted_case.state == CaseState.SUBMITTED


def test_a_move_that_lost_the_race_shows_the_409_message_over_the_fresh_case(case_in_state, science_staff):
    case = case_in_state(CaseState.DISPATCHED)
    colleague = UserFactory(role=Role.BUREAU_STAFF, bureau=bureau("sh-science-technology"))
    page_client(colleague).post(f"/cases/{case.pk}/moves/accept/")

    response = page_client(science_staff).post(f"/cases/{case.pk}/moves/accept/")

    assert response.status_code == 409
    html = text(response)
    assert 'role="alert"' in html
    assert "in progress" in html
    assert 'data-state="in_progress"' in html
    assert "Traceback" not in html


def test_the_answer_form_names_the_missing_field_in_the_users_language(case_in_state, science_staff):
    case = case_in_state(CaseState.IN_PROGRESS, co_contributed=True)

    response = page_client(science_staff, "zh-hans").post(
        f"/cases/{case.pk}/moves/answer/", {"answer_text": "", "answer_outcome": "solved"}
    )

    assert response.status_code == 400
    form = text(response).split('data-testid="move-answer"')[1].split("</form>")[0]
    assert 'data-testid="field-error"' in form
    assert any("\u4e00" <= ch <= "\u9fff" for ch in form.split('data-testid="field-error"')[1][:80])
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS


def test_a_return_leaves_the_bureau_on_its_start_page(case_in_state, science_staff):
    case = case_in_state(CaseState.DISPATCHED)

    client = page_client(science_staff)
    response = client.post(f"/cases/{case.pk}/moves/return/", {"reason": "Not ours."})
    by_htmx = client.post(f"/cases/{case.pk}/moves/return/", {"reason": "Again."}, HTTP_HX_REQUEST="true")

    assert response.status_code == 303
    assert response["Location"] == "/"
    assert by_htmx.status_code == 404  # out of sight now; had it worked, htmx would be sent to "/"
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED and case.return_pending


def test_a_case_outside_the_users_sight_is_a_404_page(case_in_state, other_bureau_staff):
    case = case_in_state(CaseState.DISPATCHED)
    client = page_client(other_bureau_staff)

    for response in (
        client.get(f"/cases/{case.pk}/"),
        client.post(f"/cases/{case.pk}/moves/accept/"),
        client.post(f"/cases/{case.pk}/comments/", {"body": "hello"}),
        client.get(f"/cases/{case.pk}/attachments/1/"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")
        assert 'data-testid="not-found"' in text(response)
    assert not case.comments.exists()


def test_an_unknown_move_is_a_404(case_in_state, science_staff):
    case = case_in_state(CaseState.DISPATCHED)

    assert page_client(science_staff).post(f"/cases/{case.pk}/moves/fly_away/").status_code == 404


def test_a_manager_reads_the_case_page_without_moves_or_forms(case_in_state, manager):
    case = case_in_state(CaseState.IN_PROGRESS)

    html = text(page_client(manager).get(f"/cases/{case.pk}/"))

    assert 'data-testid="no-moves"' in html
    assert "<form" not in html.split('data-testid="case"')[1].split('data-testid="moves"')[0]
    assert 'data-testid="comment-form"' not in html


def test_the_case_page_shows_deadlines_with_their_countdown(case_in_state, science_staff):
    soon = local_today() + timedelta(days=30)
    far = date(2031, 1, 20)
    near_case = case_in_state(CaseState.IN_PROGRESS, answer_due_on=soon, co_contributed=True)
    far_case = case_in_state(CaseState.IN_PROGRESS, answer_due_on=far, co_contributed=True)
    client = page_client(science_staff)

    def deadlines(case):
        html = text(client.get(f"/cases/{case.pk}/"))
        return html.split('data-testid="case-deadlines"')[1].split("</section>")[0]

    assert soon.isoformat() in deadlines(near_case)
    assert "working days left" in deadlines(near_case)
    # Too far off to count, and 2031's holiday notice is not entered: the date alone, provisional.
    assert far.isoformat() in deadlines(far_case)
    assert "working days left" not in deadlines(far_case)
    assert "provisional" in deadlines(far_case)


def test_comments_and_attachments_from_the_page(case_in_state, science_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = case_in_state(CaseState.IN_PROGRESS)
    client = page_client(science_staff)

    assert client.post(f"/cases/{case.pk}/comments/", {"body": "  "}).status_code == 400
    assert client.post(f"/cases/{case.pk}/comments/", {"body": "Called the centre."}).status_code == 303
    upload = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    assert client.post(f"/cases/{case.pk}/attachments/", {"file": upload}).status_code == 303
    refused = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    assert client.post(f"/cases/{case.pk}/attachments/", {"file": refused}).status_code == 400

    attachment = case.attachments.get()
    download = client.get(f"/cases/{case.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 letter"
    html = text(client.get(f"/cases/{case.pk}/"))
    assert "Called the centre." in html and "letter.pdf" in html


def test_the_search_uses_the_apis_filters_and_refuses_bad_ones_clearly(case_in_state, city_commissioner):
    closed = case_in_state(CaseState.CLOSED)
    case_in_state(CaseState.IN_PROGRESS)
    client = page_client(city_commissioner)

    found = text(client.get("/cases/", {"state": "closed"}))
    assert found.count('data-testid="case-row"') == 1 and f'data-case-id="{closed.pk}"' in found
    assert text(client.get("/cases/", {"q": f"#{closed.pk}"})).count('data-testid="case-row"') == 1

    for params in ({"state": "melted"}, {"created_after": "9999-99-99"}, {"overdue": "perhaps"}):
        response = client.get("/cases/", params)
        assert response.status_code == 400
        assert 'data-testid="search-errors"' in text(response)


def test_a_view_too_long_to_save_is_refused_in_words_and_nothing_is_saved(city_commissioner):
    client = page_client(city_commissioner)
    # Short as typed, but over the limit once each character is percent-encoded.
    query = "q=" + "研" * 600

    response = client.post("/cases/views/", {"name": "Research", "query": query}, follow=True)
    nameless = client.post("/cases/views/", {"name": "  ", "query": "state=closed"}, follow=True)

    assert response.status_code == 200
    assert "too long to save" in text(response)
    assert "Give the view a name." in text(nameless)
    assert not SavedCaseView.objects.exists()


def test_the_api_lists_cases_with_an_extension_waiting(
    case_in_state, science_staff, client_for, city_commissioner
):
    from cases.services import case_request_extension

    waiting = case_in_state(CaseState.IN_PROGRESS)
    case_in_state(CaseState.IN_PROGRESS)
    case_request_extension(case=waiting, actor=science_staff, working_days=5, reason="Lab tests.")
    client = client_for(city_commissioner)

    assert [c["id"] for c in client.get("/api/cases/", {"extension_pending": "true"}).json()["results"]] == [
        waiting.pk
    ]
    assert waiting.pk not in [
        c["id"] for c in client.get("/api/cases/", {"extension_pending": "false"}).json()["results"]
    ]


def test_a_search_is_saved_as_a_named_view_of_its_owner_only(city_commissioner, users_by_role):
    client = page_client(city_commissioner)

    response = client.post(
        "/cases/views/", {"name": "Overdue closed", "query": "state=closed&overdue=true&page=3"}
    )

    assert response.status_code == 302
    view = SavedCaseView.objects.get(owner=city_commissioner)
    assert (view.name, view.query) == ("Overdue closed", "state=closed&overdue=true")
    assert "Overdue closed" in text(client.get("/cases/"))
    assert "Overdue closed" not in text(page_client(users_by_role[Role.MANAGER]).get("/cases/"))
    assert page_client(users_by_role[Role.MANAGER]).post(f"/cases/views/{view.pk}/delete/").status_code == 404
    client.post(f"/cases/views/{view.pk}/delete/")
    assert not SavedCaseView.objects.exists()


def test_notifications_in_the_header_list_and_mark_read(case_in_state, city_commissioner, science_staff):
    case = case_in_state(CaseState.SUBMITTED)
    page_client(city_commissioner).post(
        f"/cases/{case.pk}/moves/dispatch/",
        {"lead_bureau": "sh-science-technology", "co_bureaus": ["sh-finance"]},
    )
    client = page_client(science_staff)

    assert 'data-testid="unread-count">1<' in text(client.get("/inbox/"))
    assert 'data-testid="unread-count">1<' in text(client.get("/notifications/bell/"))
    listing = text(client.get("/notifications/"))
    notification = Notification.objects.get(recipient=science_staff)
    assert f'href="/notifications/{notification.pk}/"' in listing

    opened = client.get(f"/notifications/{notification.pk}/")

    assert opened["Location"] == f"/cases/{case.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'data-testid="unread-count"' not in text(client.get("/inbox/"))
    assert page_client(city_commissioner).get(f"/notifications/{notification.pk}/").status_code == 404


def test_the_language_switch_is_remembered_in_the_profile(city_commissioner):
    client = page_client(city_commissioner)

    response = client.post("/language/", {"language": "zh-hans", "next": "/city/"})

    assert response.status_code == 302
    city_commissioner.refresh_from_db()
    assert city_commissioner.language == "zh-hans"
    assert "分派与督办" in text(client.get("/city/"))  # the page's title, in Chinese


def test_supervision_replies_wait_in_the_inbox_until_replied(case_in_state, science_staff, city_commissioner):
    case = case_in_state(CaseState.IN_PROGRESS, co_contributed=True)
    case_supervise(case=case, actor=city_commissioner, note="Reply.", due_on=date(2030, 1, 10))
    client = page_client(science_staff)

    response = client.post(
        f"/cases/{case.pk}/moves/reply_supervision/", {"reply": "Funding approved next week."}
    )

    assert response.status_code == 303
    assert Supervision.objects.get(case=case).replied_at is not None
    assert 'data-action="reply_supervision"' not in text(client.get("/inbox/"))
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_PROGRESS


HUGE = "99999999999999999999"
EDGE_GETS = [
    f"/cases/{HUGE}/",
    f"/cases/1/attachments/{HUGE}/",
    f"/notifications/{HUGE}/",
    f"/inbox/?page={HUGE}",
    "/inbox/?page=-1&action=fly",
    "/cases/?page=abc",
    f"/cases/?measure={HUGE}&centre=-{HUGE}",
    "/cases/?created_after=0001-01-01&created_before=9999-12-31&due_after=0001-01-01&due_before=9999-12-31",
    "/cases/?q=%00&state=closed&state=closed",
    "/cases/?q=" + "x" * 5000,
    f"/cases/?q=%23{HUGE}",
    f"/notifications/?page={HUGE}&unread=1",
]
EDGE_POSTS = [
    (f"/cases/{HUGE}/moves/accept/", {}),
    (f"/cases/views/{HUGE}/delete/", {}),
    (f"/notifications/{HUGE}/read/", {}),
    ("/cases/views/", {"name": "x" * 500, "query": "state=closed&" * 400}),
    ("/language/", {"language": "klingon", "next": "https://elsewhere.example/"}),
]


@pytest.mark.parametrize("role", list(Role))
def test_extreme_inputs_on_every_page_get_a_clear_answer_never_a_500(role, users_by_role):
    client = page_client(users_by_role[role])

    for path in EDGE_GETS:
        assert client.get(path).status_code < 500, path
    for path, data in EDGE_POSTS:
        response = client.post(path, data)
        assert response.status_code < 500, path
        if path == "/language/":
            assert "elsewhere.example" not in response.get("Location", "")


def test_extreme_move_inputs_are_refused_on_the_form(case_in_state, science_staff, city_commissioner):
    in_progress = case_in_state(CaseState.IN_PROGRESS, co_contributed=True)
    submitted = case_in_state(CaseState.SUBMITTED)
    bureau_client, city_client = page_client(science_staff), page_client(city_commissioner)

    refused = [
        bureau_client.post(
            f"/cases/{in_progress.pk}/moves/request_extension/", {"working_days": HUGE, "reason": "x"}
        ),
        bureau_client.post(
            f"/cases/{in_progress.pk}/moves/answer/",
            {"answer_text": "x" * 30_000, "answer_outcome": "solved"},
        ),
        bureau_client.post(
            f"/cases/{in_progress.pk}/moves/answer/", {"answer_text": "ok", "answer_outcome": "melted"}
        ),
        city_client.post(f"/cases/{submitted.pk}/moves/dispatch/", {"lead_bureau": "no-such-bureau"}),
        city_client.post(
            f"/cases/{submitted.pk}/moves/dispatch/", {"lead_bureau": "sh-customs", "measure": HUGE}
        ),
        city_client.post(f"/cases/{submitted.pk}/moves/supervise/", {"note": "x", "due_on": "9999-99-99"}),
    ]

    assert [r.status_code for r in refused] == [400] * len(refused)
    assert all('data-testid="field-error"' in text(r) for r in refused)
    in_progress.refresh_from_db()
    submitted.refresh_from_db()
    assert (in_progress.state, submitted.state) == (CaseState.IN_PROGRESS, CaseState.SUBMITTED)


def test_the_logging_district_edits_the_case_and_a_stale_page_changes_nothing(
    submitted_case, xuhui_commissioner
):
    client = page_client(xuhui_commissioner)
    form = (
        text(client.get(f"/cases/{submitted_case.pk}/"))
        .split('data-testid="move-edit"')[1]
        .split("</form>")[0]
    )
    version = unescape(form.split('name="version" value="')[1].split('"')[0])
    assert f'value="{submitted_case.title}"' in form  # filled in with the case as it is
    fields = {
        "version": version,
        "title": "Funding still not received",
        "description": submitted_case.description,
        "urgency": "urgent",
        "is_confidential": "false",
        "source": "visit",
        "measure": submitted_case.measure_id,
    }

    assert client.post(f"/cases/{submitted_case.pk}/moves/edit/", fields).status_code == 303
    stale = client.post(f"/cases/{submitted_case.pk}/moves/edit/", fields | {"title": "Overwritten"})

    assert stale.status_code == 412
    submitted_case.refresh_from_db()
    assert (submitted_case.title, submitted_case.urgency) == ("Funding still not received", "urgent")
    assert submitted_case.events.filter(action="edit").count() == 1
