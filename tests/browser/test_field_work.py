"""A district commissioner's field work in a real Chromium on a phone: a contact that raises two
difficulties, one logged as a case at once; later, an unsatisfied call-back that reopens it."""

import pytest
from playwright.sync_api import expect

from cases import services
from cases.models import Case, CaseState
from cases.services.scheduling import open_callback_follow_ups
from centres.models import ContactRecord
from tests.factories import shanghai_measure

from .test_workbench import expect_no_horizontal_overflow, move_form, sign_in
from .workbench_data import CUSTOMS, Workbench, build_workbench

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def wb(transactional_db) -> Workbench:
    return build_workbench()


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_a_contact_raises_two_difficulties_one_becomes_a_case_and_an_unsatisfied_call_back_reopens_it(
    live_server, wb, new_page, artifacts, locale
):
    page = new_page(locale, phone=True)
    language = "zh" if locale.startswith("zh") else "en"
    sign_in(page, live_server.url, wb.district_commissioner.username, path="/centres/")
    expect(page.get_by_test_id("centre-row")).to_have_count(1)
    page.get_by_test_id("centre-link").click()
    expect(page.get_by_test_id("centre-name")).to_be_visible()
    expect_no_horizontal_overflow(page)

    page.get_by_test_id("record-contact").click()
    page.locator("#id_participants").fill("Dr Wang, head of the lab")
    page.locator("#id_summary").fill("Visited the lab; two difficulties came up.")
    page.locator("#id_d0-title").fill("Research samples held at customs")
    page.locator("#id_d0-description").fill("Three shipments of reagents have waited two months.")
    page.locator("#id_d0-measure").select_option(str(shanghai_measure(3).pk))
    page.locator("#id_d0-log_as_case").check()
    page.locator("#id_d1-title").fill("Visitor parking")
    expect_no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / f"field-contact-form-{language}-phone.png"), full_page=True)
    page.get_by_test_id("contact-submit").click()
    page.screenshot(path=str(artifacts / f"field-contact-sent-{language}-phone.png"), full_page=True)

    expect(page.get_by_test_id("case-raised")).to_have_count(1)
    record = ContactRecord.objects.get(centre=wb.centre)
    assert "Visitor parking" in record.summary
    case = Case.objects.get(contact_record=record)
    assert case.state == CaseState.SUBMITTED
    page.screenshot(path=str(artifacts / f"field-contact-{language}-phone.png"), full_page=True)

    # The city dispatches it, customs accept and answer (the workbench's own browser tests do these).
    wb.dispatch(case, lead=CUSTOMS, co=[])
    wb.accept(case, "customs")
    services.case_answer(
        case=Case.objects.get(pk=case.pk),
        actor=wb.staff["customs"],
        answer_text="The shipments were cleared.",
        answer_outcome="solved",
    )
    # What the worker does on the answer's message (tests/cases/test_worker.py runs it for real).
    open_callback_follow_ups(case_ids=[case.pk])

    page.goto(f"{live_server.url}/follow-ups/")
    row = page.locator('[data-testid="follow-up"][data-kind="callback"]')
    expect(row).to_have_count(1)
    page.screenshot(path=str(artifacts / f"field-follow-ups-{language}-phone.png"), full_page=True)
    row.get_by_test_id("follow-up-action").click()
    form = move_form(page, "callback")
    form.get_by_test_id("move-callback-reached-true").check()
    form.get_by_test_id("move-callback-resolved-false").check()
    form.get_by_test_id("move-callback-satisfaction").select_option("unsatisfied")
    form.get_by_test_id("move-callback-note").fill("Only one shipment was cleared.")
    form.get_by_test_id("do-callback").click()

    expect(page.get_by_test_id("case")).to_have_attribute("data-state", CaseState.IN_PROGRESS)
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_PROGRESS
    page.goto(f"{live_server.url}/centres/{wb.centre.pk}/")
    expect(page.locator('[data-testid="timeline-entry"][data-kind="callback"]')).to_have_count(1)
    page.screenshot(path=str(artifacts / f"field-centre-{language}-phone.png"), full_page=True)
