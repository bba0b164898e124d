"""Every kind of notification reads in both languages, whatever details its event had, and every
e-mail about a case links to the case's page."""

import re

import pytest
from django.utils import translation

from commissioners import notifications
from commissioners.models import NotificationKind

K = NotificationKind
BASE_URL = "https://commissioners.example.org"
FULL_PARAMS = {
    "case": 42,
    "case_title": "签证续签",
    "centre_zh": "测试研发中心",
    "centre_en": "Test R&D Centre",
    "due_on": "2026-11-24",
    "reason": "Not our remit",
    "bureau_zh": "市科委",
    "bureau_en": "Science and Technology Commission",
    "count": 3,
    "role": "lead",
    "upheld": True,
    "approved": False,
    "working_days": 5,
    "level": "leadership",
    "cycle": "2026",
    "measure": 9,
    "cases": [42, 43],
}
LANGUAGES = ["en", "zh-hans"]
# The kinds about a centre, an assessment or many cases rather than one case.
NOT_ABOUT_A_CASE = {
    K.CASES_OVERDUE,
    K.CONTACT_DUE,
    K.ASSESSMENTS_OPENED,
    K.ASSESSMENTS_DUE,
    K.ASSESSMENTS_OVERDUE,
    K.ASSESSMENT_RETURNED,
    K.FINDING_ROUTED,
    K.FINDING_OUTCOME_DUE,
}


@pytest.fixture(autouse=True)
def _public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE_URL


def placeholders_left(text: str) -> list[str]:
    return re.findall(r"%\(\w+\)[sd]|\{\w+\}", text)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("params", [{}, FULL_PARAMS], ids=["no details", "all details"])
@pytest.mark.parametrize("kind", list(K))
def test_every_kind_renders_with_any_details(kind, params, language):
    title, body = notifications.render(kind=kind, params=params, language=language)
    subject, email_body = notifications.render_email(kind=kind, params=params, language=language)

    assert title and subject == title
    assert not placeholders_left(title + body + email_body)
    assert email_body.startswith(body)


@pytest.mark.parametrize("kind", list(K))
def test_every_kind_and_its_label_have_their_chinese(kind):
    english = notifications.render(kind=kind, params=FULL_PARAMS, language="en")[0]
    chinese = notifications.render(kind=kind, params=FULL_PARAMS, language="zh-hans")[0]
    assert english != chinese
    with translation.override("en"):
        english_label = str(kind.label)
    with translation.override("zh-hans"):
        chinese_label = str(kind.label)
    assert english_label != chinese_label


@pytest.mark.parametrize("kind", sorted(set(K) - NOT_ABOUT_A_CASE))
@pytest.mark.parametrize(
    ("language", "lead_in"), [("en", "Open the case: "), ("zh-hans", "查看案件：")], ids=LANGUAGES
)
def test_every_email_about_a_case_ends_with_its_link(kind, language, lead_in):
    _, body = notifications.render_email(kind=kind, params=FULL_PARAMS | {"cases": []}, language=language)
    assert body.splitlines()[-1] == f"{lead_in}{BASE_URL}/cases/42/"


def test_the_summary_links_each_case_it_quotes():
    params = {"count": 2, "cases": [42, 43]}
    _, body = notifications.render_email(kind=K.CASES_OVERDUE, params=params, language="en")
    assert body.splitlines()[-3:] == [
        "Open the cases:",
        f"#42 {BASE_URL}/cases/42/",
        f"#43 {BASE_URL}/cases/43/",
    ]


def test_the_case_page_address_comes_from_the_setting(settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    assert notifications.case_url(7) == "http://127.0.0.1:8000/cases/7/"


def test_a_routine_contact_has_no_link():
    _, body = notifications.render_email(kind=K.CONTACT_DUE, params={"centre_en": "X"}, language="en")
    assert "http" not in body


@pytest.mark.parametrize(
    ("kind", "params", "english", "chinese"),
    [
        (K.RETURN_RULED, {"case": 1, "upheld": True}, "ruled on: upheld", "已裁定：予以支持"),
        (K.RETURN_RULED, {"case": 1, "upheld": False}, "ruled on: rejected", "已裁定：已驳回"),
        (K.EXTENSION_DECIDED, {"case": 1, "approved": True}, "was approved", "延期申请已批准"),
        (K.EXTENSION_DECIDED, {"case": 1, "approved": False}, "was rejected", "延期申请已驳回"),
        (K.APPEAL_DECIDED, {"case": 1, "upheld": True}, "was upheld", "申诉核减裁定：予以支持"),
        (K.CASE_DISPATCHED, {"case": 1, "role": "lead"}, "as lead bureau;", "（牵头单位）"),
        (K.CASE_DISPATCHED, {"case": 1, "role": "co"}, "as co-handling bureau;", "（协办单位）"),
        (K.SUPERVISION_OVERDUE, {"case": 1, "level": "city"}, "escalated to the city level", "已升级至市级"),
        (
            K.SUPERVISION_OVERDUE,
            {"case": 1, "level": "leadership"},
            "escalated to the leadership",
            "升级至领导层",
        ),
    ],
)
def test_decisions_and_codes_are_written_as_words_of_the_readers_language(kind, params, english, chinese):
    assert english in notifications.render(kind=kind, params=params, language="en")[0]
    assert chinese in notifications.render(kind=kind, params=params, language="zh-hans")[0]


def test_the_bureau_is_named_in_the_readers_language():
    params = {"case": 7, "bureau_zh": "市科委", "bureau_en": "STCSM", "reason": "Not ours"}
    assert notifications.render(kind=K.CASE_RETURNED, params=params, language="en")[0] == (
        "Case #7 was returned as misrouted by STCSM"
    )
    assert notifications.render(kind=K.CASE_RETURNED, params=params, language="zh-hans")[0] == (
        "案件 #7 被市科委以交办有误退回"
    )


def test_a_line_quoting_only_details_the_event_lacks_is_left_out():
    params = {"case": 7, "case_title": "Visa", "centre_zh": "中心", "centre_en": "Centre"}
    assert (
        notifications.render(kind=K.SUPERVISION_OPENED, params=params, language="en")[1] == "“Visa”, Centre"
    )

    noted = params | {"reason": "Three weeks late", "due_on": "2026-12-04"}
    assert notifications.render(kind=K.SUPERVISION_OPENED, params=noted, language="en")[1] == (
        "“Visa”, Centre\nNote: Three weeks late\nReply by 2026-12-04."
    )
    assert notifications.render(kind=K.SUPERVISION_OPENED, params=noted, language="zh-hans")[1] == (
        "“Visa”，中心\n说明：Three weeks late\n请于 2026-12-04 前回复。"
    )


def test_unexpected_details_do_not_break_the_text():
    params = {"case": 7, "upheld": [1], "role": "unknown", "count": "x", "cases": None}
    title, _ = notifications.render(kind=K.RETURN_RULED, params=params, language="en")
    assert title == "The return of case #7 was ruled on: [1]"
    assert notifications.render(kind=K.CASE_DISPATCHED, params=params, language="en")[0].startswith(
        "Case #7 was dispatched to your bureau as unknown;"
    )
