"""The workbench in a real Chromium: each role's day, move by move, on the pages they use.

The cases are logged and moved to where each test starts through the workflow services
(`workbench_data`); the browser then makes the one move the test is about, as its user would.
"""

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from cases import rules, services
from cases.deadlines import due_after
from cases.models import Case, CaseState, ExtensionRequest
from cases.pages.views import MOVE_DONE, MOVED_OUT_OF_SIGHT
from commissioners.models import User
from tests.factories import PASSWORD

from .workbench_data import CUSTOMS, FINANCE, SCIENCE, Workbench, build_workbench

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CJK = re.compile("[\u4e00-\u9fff]")


@pytest.fixture
def wb(transactional_db) -> Workbench:
    return build_workbench()


@pytest.fixture
def phone_page(new_page) -> Callable[[str], Page]:
    """Pages on a phone-sized touch screen, each in its own browser context."""
    return lambda locale="zh-CN": new_page(locale, phone=True)


# --- What the pages should say, in either language ------------------------------------------------


def translated(text, language: str) -> str:
    with translation.override(language):
        return str(text) if not isinstance(text, str) else translation.gettext(text)


def state_label(state: str, language: str) -> str:
    with translation.override(language):
        return str(CaseState(state).label)


def move_label(move: str, language: str) -> str:
    with translation.override(language):
        return str(rules.MOVES[move].label)


def done_message(move: str, language: str) -> str:
    with translation.override(language):
        return str(MOVE_DONE) % {"move": rules.MOVES[move].label}


# --- Driving the pages ------------------------------------------------------------------------------


def log_in(page: Page, base_url: str, username: str, *, lands_on: str) -> None:
    """The one login; each user lands on their own start page."""
    page.goto(f"{base_url}/login/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(f"{base_url}{lands_on}")
    expect(page.get_by_test_id("current-user")).to_have_text(username)


def sign_in(page: Page, base_url: str, username: str, *, path: str | None = None) -> None:
    """A session opened on the server's side, for the tests whose subject is not the login form."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    if path is not None:
        page.goto(f"{base_url}{path}")
        expect(page.get_by_test_id("current-user")).to_have_text(username)


def open_case(page: Page, base_url: str, case: Case) -> Locator:
    page.goto(f"{base_url}/cases/{case.pk}/")
    article = page.get_by_test_id("case")
    expect(article).to_have_attribute("data-case-id", str(case.pk))
    return article


def case_row(page: Page, container_testid: str, case: Case) -> Locator:
    return page.get_by_test_id(container_testid).locator(f'[data-case-id="{case.pk}"]')


def inbox_row(page: Page, case: Case) -> Locator:
    return page.locator(f'[data-testid="inbox-row"][data-case-id="{case.pk}"]')


def move_form(page: Page, move: str) -> Locator:
    """A move's form, opened first when it sits folded in its <details>."""
    summary = page.get_by_test_id(f"open-{move}")
    if summary.count():
        summary.click()
    form = page.get_by_test_id(f"move-{move}")
    expect(form).to_be_visible()
    return form


def expect_first_move(page: Page, move: str) -> None:
    """The move the user is most likely to make is the one shown open."""
    expect(page.get_by_test_id("moves").get_by_test_id("move").first).to_have_attribute("data-move", move)
    expect(page.get_by_test_id(f"move-{move}")).to_be_visible()
    expect(page.get_by_test_id(f"open-{move}")).to_have_count(0)


def expect_done(page: Page, move: str, language: str) -> None:
    expect(page.get_by_test_id("messages")).to_contain_text(done_message(move, language))


def assignment(page: Page, code: str) -> Locator:
    return page.locator(f'[data-testid="assignment"][data-bureau="{code}"]:not(.past)')


def expect_no_horizontal_overflow(page: Page) -> None:
    widths = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"] + 1, (page.url, widths)


def reload_case(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# --- The tests -------------------------------------------------------------------------------------


def test_the_city_dispatches_a_logged_case_as_the_routing_table_proposes(
    live_server, wb, new_page, artifacts
):
    case = wb.log("Grant application stuck")
    page = new_page("zh-CN")

    log_in(page, live_server.url, "city", lands_on="/city/")

    row = case_row(page, "section-triage", case)
    expect(row).to_be_visible()
    expect(page.get_by_test_id("count-triage")).to_have_text("1")
    expect(page.get_by_test_id("section-returns").get_by_test_id("case-row")).to_have_count(0)
    page.screenshot(path=str(artifacts / "workbench-city-zh-laptop.png"), full_page=True)

    row.get_by_test_id("case-link").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    article = page.get_by_test_id("case")
    expect(article).to_have_attribute("data-state", "submitted")
    expect_first_move(page, "dispatch")

    # The routing table's proposal for Measure 1: 市科委 leads, 市财政局 co-handles, nobody else.
    form = page.get_by_test_id("move-dispatch")
    expect(page.get_by_test_id("move-dispatch-lead_bureau")).to_have_value(SCIENCE)
    expect(page.get_by_test_id(f"move-dispatch-co_bureaus-{FINANCE}")).to_be_checked()
    expect(form.locator('input[name="co_bureaus"]:checked')).to_have_count(1)
    expect(page.get_by_test_id("move-dispatch-measure")).to_have_value(str(case.measure_id))
    expect(page.get_by_test_id("move-dispatch-override_reason")).to_have_value("")

    page.get_by_test_id("do-dispatch").click()

    expect(article).to_have_attribute("data-state", "dispatched")
    expect(page.get_by_test_id("case-state")).to_have_text(state_label("dispatched", "zh-hans"))
    expect_done(page, "dispatch", "zh-hans")
    expect(assignment(page, SCIENCE)).to_have_attribute("data-status", "pending")
    expect(assignment(page, FINANCE)).to_have_attribute("data-status", "pending")
    last = page.get_by_test_id("history-line").last
    expect(last).to_contain_text("city")
    expect(last).to_contain_text(move_label("dispatch", "zh-hans"))
    expect(last).to_contain_text(
        f"{state_label('submitted', 'zh-hans')} → {state_label('dispatched', 'zh-hans')}"
    )
    expect(page.get_by_test_id("move-dispatch")).to_have_count(0)  # dispatched once, not twice

    case = reload_case(case)
    assert (case.state, case.lead_bureau.code) == (CaseState.DISPATCHED, SCIENCE)
    assert sorted(case.assignments.values_list("bureau__code", flat=True)) == sorted([SCIENCE, FINANCE])


def test_customs_accept_the_case_from_their_inbox_and_answer_it(live_server, wb, new_page):
    case = wb.customs_case("Reagents held at customs")
    page = new_page("en-US")

    log_in(page, live_server.url, "customs", lands_on="/inbox/")

    expect(page.get_by_test_id("unread-count")).to_have_text("1")  # the dispatch was notified
    row = inbox_row(page, case)
    expect(row).to_have_attribute("data-action", "accept")
    expect(page.get_by_test_id("count-accept")).to_have_text("1")
    expect(page.get_by_test_id("count-answer")).to_have_text("0")

    row.get_by_test_id("case-link").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    article = page.get_by_test_id("case")
    expect(article).to_have_attribute("data-state", "dispatched")
    expect_first_move(page, "accept")

    page.get_by_test_id("do-accept").click()

    expect(article).to_have_attribute("data-state", "in_progress")
    expect_done(page, "accept", "en")
    expect_first_move(page, "answer")  # no co-handler to wait for

    page.get_by_test_id("move-answer-answer_text").fill("The reagents were cleared on 3 March.")
    page.get_by_test_id("move-answer-answer_actions").fill("Called the port; fast-track clearance.")
    page.get_by_test_id("move-answer-answer_outcome").select_option("solved")
    page.get_by_test_id("do-answer").click()

    expect(article).to_have_attribute("data-state", "answered")
    expect(page.get_by_test_id("case-state")).to_have_text("answered")
    expect(page.get_by_test_id("case-answer")).to_contain_text("The reagents were cleared on 3 March.")
    expect(page.get_by_test_id("move-answer")).to_have_count(0)

    page.get_by_test_id("menu-inbox").click()
    page.wait_for_url("**/inbox/")
    expect(inbox_row(page, case)).to_have_count(0)
    case = reload_case(case)
    assert (case.state, case.answer_outcome, case.lead_bureau.code) == (CaseState.ANSWERED, "solved", CUSTOMS)


def test_a_co_handler_accepts_its_part_and_the_lead_sees_the_contribution(live_server, wb, new_page):
    case = wb.accept(wb.dispatch(wb.log("R&D expense deduction")), "science")
    finance = new_page("en-US")

    sign_in(finance, live_server.url, "finance", path="/inbox/")

    row = inbox_row(finance, case)
    expect(row).to_have_attribute("data-action", "accept_assignment")
    row.get_by_test_id("case-link").click()
    finance.wait_for_url(f"**/cases/{case.pk}/")
    expect_first_move(finance, "accept_assignment")

    finance.get_by_test_id("do-accept_assignment").click()

    expect(assignment(finance, FINANCE)).to_have_attribute("data-status", "accepted")
    expect_done(finance, "accept_assignment", "en")
    expect_first_move(finance, "contribute")

    contribution = "The 2025 programme budget covers the centre; the grant is paid in May."
    finance.get_by_test_id("move-contribute-contribution").fill(contribution)
    finance.get_by_test_id("do-contribute").click()

    expect(assignment(finance, FINANCE)).to_have_attribute("data-status", "contributed")
    expect_done(finance, "contribute", "en")

    lead = new_page("en-US")
    sign_in(lead, live_server.url, "science", path="/inbox/")
    expect(inbox_row(lead, case)).to_have_attribute("data-action", "answer")
    open_case(lead, live_server.url, case)
    expect(assignment(lead, FINANCE)).to_contain_text(contribution)
    expect(assignment(lead, FINANCE)).to_have_attribute("data-status", "contributed")
    expect_first_move(lead, "answer")  # every co-handler has contributed: the lead may answer
    expect(lead.get_by_test_id("history-line").last).to_contain_text(contribution)


def test_the_lead_returns_a_misrouted_case_and_lands_on_its_inbox_told_so(live_server, wb, new_page):
    case = wb.dispatch(wb.log("Sample import licence"))
    bureau = new_page("zh-CN")
    sign_in(bureau, live_server.url, "science")
    open_case(bureau, live_server.url, case)

    move_form(bureau, "return")
    bureau.get_by_test_id("move-return-reason").fill("Not ours: an import licence is a customs question.")
    with bureau.expect_response(lambda r: r.url.endswith(f"/cases/{case.pk}/moves/return/")):
        bureau.get_by_test_id("do-return").click()

    case = reload_case(case)
    assert (case.state, case.return_pending) == (CaseState.SUBMITTED, True)
    assert case.events.get(action="return").reason.startswith("Not ours")
    # The case left the bureau's sight: the bureau is taken to its start page, and told so.
    with translation.override("zh-hans"):
        gone = str(MOVED_OUT_OF_SIGHT) % {"move": rules.MOVES["return"].label}
    expect(bureau.get_by_test_id("messages")).to_contain_text(gone)
    expect(bureau.get_by_test_id("page-title")).to_contain_text(translated("Inbox", "zh-hans"))
    expect(bureau.get_by_test_id("inbox")).to_be_visible()
    expect(inbox_row(bureau, case)).to_have_count(0)
    # The address is that of the page shown: loading it again is the inbox, not a 404.
    bureau.wait_for_url(f"{live_server.url}/inbox/")


def test_the_city_rules_on_a_return_and_a_rejected_return_goes_back_to_the_bureau(live_server, wb, new_page):
    case = wb.dispatch(wb.log("Sample import licence"))
    services.case_return(
        case=case, actor=wb.staff["science"], reason="Not ours: an import licence is a customs question."
    )

    city = new_page("zh-CN")
    sign_in(city, live_server.url, "city", path="/city/")
    expect(city.get_by_test_id("count-returns")).to_have_text("1")
    expect(case_row(city, "section-triage", case)).to_have_count(0)
    returned = case_row(city, "section-returns", case)
    expect(returned).to_be_visible()
    returned.get_by_test_id("case-link").click()
    city.wait_for_url(f"**/cases/{case.pk}/")
    article = city.get_by_test_id("case")
    expect(article).to_have_attribute("data-state", "submitted")
    expect_first_move(city, "rule_return")
    expect(city.get_by_test_id("move-dispatch")).to_have_count(0)  # no dispatch before the ruling

    city.get_by_test_id("move-rule_return-upheld-false").check()
    city.get_by_test_id("move-rule_return-reason").fill("Measure 1 is the science commission's.")
    city.get_by_test_id("do-rule_return").click()

    # Rejected: back to the bureau that returned it, on the deadlines it had.
    expect(article).to_have_attribute("data-state", "dispatched")
    expect_done(city, "rule_return", "zh-hans")
    expect(assignment(city, SCIENCE)).to_have_attribute("data-status", "pending")
    case = reload_case(case)
    assert (case.state, case.return_pending, case.lead_bureau.code) == (CaseState.DISPATCHED, False, SCIENCE)
    bureau = new_page("zh-CN")
    sign_in(bureau, live_server.url, "science", path="/inbox/")
    expect(inbox_row(bureau, case)).to_have_attribute("data-action", "accept")


def test_the_lead_asks_for_more_days_and_the_city_approves_the_extension(live_server, wb, new_page):
    case = wb.accept(wb.dispatch(wb.log("Funding came late")), "science")
    old_due = case.answer_due_on
    new_due = due_after(start=old_due, working_days=5).due_on
    assert new_due > old_due
    lead = new_page("en-US")
    sign_in(lead, live_server.url, "science")
    open_case(lead, live_server.url, case)

    move_form(lead, "request_extension")
    lead.get_by_test_id("move-request_extension-working_days").fill("5")
    lead.get_by_test_id("move-request_extension-reason").fill("The finance bureau's budget round.")
    lead.get_by_test_id("do-request_extension").click()

    expect_done(lead, "request_extension", "en")
    expect(lead.get_by_test_id("extension-request")).to_have_attribute("data-status", "pending")
    expect(lead.get_by_test_id("move-request_extension")).to_have_count(0)  # one request at a time

    city = new_page("en-US")
    sign_in(city, live_server.url, "city", path="/city/")
    row = case_row(city, "section-extensions", case)
    expect(row).to_contain_text(old_due.isoformat())
    row.get_by_test_id("case-link").click()
    city.wait_for_url(f"**/cases/{case.pk}/")
    expect_first_move(city, "decide_extension")

    city.get_by_test_id("move-decide_extension-approve-true").check()
    city.get_by_test_id("move-decide_extension-note").fill("Approved: the budget round is known.")
    city.get_by_test_id("do-decide_extension").click()

    expect_done(city, "decide_extension", "en")
    expect(city.get_by_test_id("extension-request")).to_have_attribute("data-status", "approved")
    answer_by = city.get_by_test_id("deadline").filter(has_text="Answer by")
    expect(answer_by).to_contain_text(new_due.isoformat())
    expect(answer_by).to_contain_text(f"extended from {old_due.isoformat()}")
    assert reload_case(case).answer_due_on == new_due
    assert ExtensionRequest.objects.get(case=case).status == ExtensionRequest.Status.APPROVED


def test_the_second_of_two_colleagues_accepting_the_same_case_is_told_it_moved(live_server, wb, new_page):
    case = wb.dispatch(wb.log("Clearance of test devices"))
    first, second = new_page("zh-CN"), new_page("zh-CN")
    sign_in(first, live_server.url, "science")
    sign_in(second, live_server.url, "science-2")
    for page in (first, second):
        open_case(page, live_server.url, case)
        expect_first_move(page, "accept")

    first.get_by_test_id("do-accept").click()
    expect(first.get_by_test_id("case")).to_have_attribute("data-state", "in_progress")

    with second.expect_response(lambda r: r.url.endswith(f"/cases/{case.pk}/moves/accept/")) as answer:
        second.get_by_test_id("do-accept").click()

    assert answer.value.status == 409
    with translation.override("zh-hans"):
        conflict = str(rules.WRONG_STATE) % {
            "state": CaseState.IN_PROGRESS.label,
            "move": rules.MOVES["accept"].label,
        }
    alert = second.get_by_test_id("messages").get_by_role("alert")
    expect(alert).to_have_text(conflict)
    # The case as it is now, without the move that is no longer open.
    expect(second.get_by_test_id("case")).to_have_attribute("data-state", "in_progress")
    expect(second.get_by_test_id("case-state")).to_have_text(state_label("in_progress", "zh-hans"))
    expect(second.get_by_test_id("move-accept")).to_have_count(0)
    html = second.content()
    assert "Traceback" not in html and "Server Error" not in html
    assert reload_case(case).events.filter(action="accept").count() == 1


def test_the_language_switch_changes_the_pages_and_is_remembered(live_server, wb, new_page, artifacts):
    case = wb.log("Office move")
    page = new_page("zh-CN")
    sign_in(page, live_server.url, "city", path="/city/")
    in_chinese = translated("Triage and dispatch", "zh-hans")
    assert CJK.search(in_chinese)

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("page-title")).to_have_text(in_chinese)
    expect(page.get_by_test_id("menu-city")).to_have_text(in_chinese)
    expect(page.get_by_test_id("logout")).to_have_text(translated("Log out", "zh-hans"))
    expect(page).to_have_title(re.compile(re.escape(in_chinese)))

    open_case(page, live_server.url, case)
    expect(page.get_by_test_id("moves")).to_contain_text(translated("What you can do", "zh-hans"))
    page.screenshot(path=str(artifacts / "workbench-case-zh-laptop.png"), full_page=True)

    page.get_by_test_id("language-en").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{live_server.url}/cases/{case.pk}/"  # the switch stays on the page
    expect(page.get_by_test_id("moves")).to_contain_text("What you can do")
    expect(page.get_by_test_id("case-state")).to_have_text("submitted")
    expect(page.get_by_test_id("menu-city")).to_have_text("Triage and dispatch")
    expect(page.get_by_test_id("language-en")).to_have_attribute("aria-current", "true")
    page.screenshot(path=str(artifacts / "workbench-case-en-laptop.png"), full_page=True)

    # Remembered: the next page, and the same page loaded again, speak English.
    page.get_by_test_id("menu-city").click()
    page.wait_for_url("**/city/")
    expect(page.get_by_test_id("page-title")).to_have_text("Triage and dispatch")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title(re.compile("Triage and dispatch"))
    assert User.objects.get(username="city").language == "en"

    page.get_by_test_id("language-zh-hans").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("page-title")).to_have_text(in_chinese)
    page.goto(f"{live_server.url}/cases/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("menu-cases")).to_have_text(translated("Cases", "zh-hans"))
    assert User.objects.get(username="city").language == "zh-hans"


def test_on_a_phone_the_inbox_and_the_case_fit_the_screen_and_the_moves_work(
    live_server, wb, phone_page, artifacts
):
    case = wb.customs_case("Reagents held at customs")
    page = phone_page("zh-CN")
    log_in(page, live_server.url, "customs", lands_on="/inbox/")

    row = inbox_row(page, case)
    expect(row).to_have_attribute("data-action", "accept")
    expect_no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / "workbench-inbox-zh-phone.png"), full_page=True)

    row.get_by_test_id("case-link").tap()
    page.wait_for_url(f"**/cases/{case.pk}/")
    expect_first_move(page, "accept")
    expect_no_horizontal_overflow(page)

    button = page.get_by_test_id("do-accept")
    button.scroll_into_view_if_needed()
    expect(button).to_be_in_viewport()
    button.tap()

    expect(page.get_by_test_id("case")).to_have_attribute("data-state", "in_progress")
    expect_first_move(page, "answer")
    expect_no_horizontal_overflow(page)

    page.goto(f"{live_server.url}/inbox/")
    page.get_by_test_id("language-en").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(inbox_row(page, case)).to_have_attribute("data-action", "answer")
    expect(page.get_by_test_id("page-title")).to_contain_text("Inbox")
    expect_no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / "workbench-inbox-en-phone.png"), full_page=True)


def test_a_bureau_the_case_was_not_sent_to_gets_the_404_page(live_server, wb, new_page):
    case = wb.dispatch(wb.log("Grant application stuck"))
    page = new_page("en-US")
    sign_in(page, live_server.url, "outsider", path="/inbox/")
    expect(inbox_row(page, case)).to_have_count(0)

    response = page.goto(f"{live_server.url}/cases/{case.pk}/")

    assert response.status == 404
    expect(page.get_by_test_id("not-found")).to_be_visible()
    expect(page.get_by_test_id("not-found")).to_contain_text("Not found")
    expect(page.get_by_test_id("case")).to_have_count(0)
    expect(page.get_by_test_id("current-user")).to_have_text("outsider")  # still the site's layout
    assert reload_case(case).state == CaseState.DISPATCHED
