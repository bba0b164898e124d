"""Who is told of each move on a case, inside the move's transaction.

A move's notifications are written with the move or not at all, once per recipient and event (the
notification's unique key), and their e-mails leave after the commit (`commissioners.notifications`).
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from cases.models import Case
from commissioners import notifications
from commissioners.models import Bureau, NotificationKind

K = NotificationKind


def case_notice_params(case: Case, *, due_on: date | None = None, **extra: Any) -> dict[str, Any]:
    """What every case notification quotes, and what this one adds."""
    centre = case.centre
    return {
        "case": case.pk,
        "case_title": case.title,
        "centre_zh": centre.name_zh,
        "centre_en": centre.name_en,
        "due_on": due_on.isoformat() if due_on else "",
        **extra,
    }


def bureau_names(bureau: Bureau | None) -> dict[str, str]:
    if bureau is None:
        return {"bureau_zh": "", "bureau_en": ""}
    return {"bureau_zh": bureau.name_zh, "bureau_en": bureau.name_en}


def tell(*, recipients: Iterable[int], kind: str, key: str, params: dict[str, Any]) -> None:
    """One notification per recipient for the event `key` (a recipient listed twice gets one)."""
    notifications.notify(
        notifications.Draft(recipient_id=user_id, kind=kind, key=key, params=params)
        for user_id in dict.fromkeys(recipients)
    )


def city_commissioners() -> list[int]:
    return notifications.city_commissioner_ids()


def staff_of(*bureaus: Bureau | None) -> list[int]:
    ids = [bureau.pk for bureau in bureaus if bureau is not None]
    staff = notifications.bureau_staff_by_bureau(ids)
    return [user_id for bureau_id in ids for user_id in staff[bureau_id]]


def logging_commissioner(case: Case) -> list[int]:
    """The district commissioner who logged the case, while still active."""
    return [case.created_by_id] if case.created_by.is_active else []
