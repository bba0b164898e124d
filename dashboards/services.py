"""Publishing a month's rankings: the one write of the dashboards.

A month's rankings are frozen once, for every kind of unit and every rule, with the cases behind
each unit's figures; nothing changes them afterwards (`dashboards.models`). Publishing is idempotent
and safe to run twice at once, so the beat job may run daily and catch up after an outage.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count

from cases.models import CaseFigureRollup, FigureGrain
from commissioners.models import User
from core.time import local_today

from .case_figures import RANK_KEYS
from .models import PublishedRanking, PublishedRankingCases, UnitKind
from .periods import month_just_ended, previous_month
from .published import cases_behind, month_units, ranked, rules_in_both_languages

# The first key of the advisory locks that keep two publishers of one month apart (the second key is
# the month as YYYYMM); chosen not to meet another lock of the database.
_LOCK_SPACE = 0x7A6B
# How far back the daily job looks for a month left unpublished (an outage, a new rule).
CATCH_UP_MONTHS = 12
RANKINGS_PER_MONTH = len(UnitKind.values) * len(RANK_KEYS)


@contextmanager
def _one_publisher(month: datetime.date) -> Iterator[None]:
    """A transaction in which no other publisher of the month runs, reading one snapshot of the database.

    The lock is taken before the transaction starts, so a second publisher that waited for it reads
    what the first committed and adds nothing. REPEATABLE READ makes the figures and the cases behind
    them one consistent picture, even while cases move. Inside a caller's transaction (a test, a
    shell session) the lock is the transaction's and the isolation the caller's."""
    key = [_LOCK_SPACE, month.year * 100 + month.month]
    if not connection.get_autocommit():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", key)
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", key)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def publish_month_rankings(*, month: datetime.date, published_by: User | None = None) -> int:
    """Freezes the month's rankings of bureaus, districts and measures by every rule that has none
    yet, with the rule's words in both languages and the cases behind each unit; returns how many
    rankings it froze (0 when the month was published already)."""
    month = month.replace(day=1)
    with _one_publisher(month):
        done = set(PublishedRanking.objects.filter(month=month).values_list("unit_kind", "rank_by"))
        due = [
            (kind, rank_by)
            for kind in UnitKind.values
            for rank_by in RANK_KEYS
            if (kind, rank_by) not in done
        ]
        if not due:
            return 0
        kinds = sorted({kind for kind, _rank_by in due})
        units = month_units(month=month, kinds=kinds)
        behind = {kind: cases_behind(month=month, kind=kind) for kind in kinds}
        rules = {rank_by: rules_in_both_languages(rank_by) for rank_by in RANK_KEYS}
        rankings = PublishedRanking.objects.bulk_create(
            [
                PublishedRanking(
                    month=month,
                    unit_kind=kind,
                    rank_by=rank_by,
                    rows=ranked(units[kind], rank_by),
                    published_by=published_by,
                    **rules[rank_by],
                )
                for kind, rank_by in due
            ]
        )
        nothing = {"response": set(), "callback": set()}
        PublishedRankingCases.objects.bulk_create(
            [
                PublishedRankingCases(
                    ranking=ranking,
                    unit_id=row["id"],
                    response_case_ids=sorted(behind[ranking.unit_kind].get(row["id"], nothing)["response"]),
                    callback_case_ids=sorted(behind[ranking.unit_kind].get(row["id"], nothing)["callback"]),
                )
                for ranking in rankings
                for row in ranking.rows
            ]
        )
    return len(rankings)


def months_to_publish(*, today: datetime.date) -> list[datetime.date]:
    """The month that just ended, and the earlier months of the catch-up window that have case figures
    but not every ranking: oldest first."""
    just_ended = month_just_ended(today)
    window = [just_ended]
    while len(window) < CATCH_UP_MONTHS:
        window.insert(0, previous_month(window[0]))
    with_figures = set(
        CaseFigureRollup.objects.filter(grain=FigureGrain.DISTRICT, month__range=(window[0], just_ended))
        .order_by()
        .values_list("month", flat=True)
        .distinct()
    )
    complete = {
        row["month"]
        for row in PublishedRanking.objects.filter(month__range=(window[0], just_ended))
        .order_by()
        .values("month")
        .annotate(rankings=Count("id"))
        if row["rankings"] >= RANKINGS_PER_MONTH
    }
    return [
        month for month in window if month not in complete and (month == just_ended or month in with_figures)
    ]


def publish_due_rankings(*, today: datetime.date | None = None) -> int:
    """What the daily job does: publishes every month `months_to_publish` names; returns the rankings frozen."""
    today = today or local_today()
    return sum(publish_month_rankings(month=month) for month in months_to_publish(today=today))
