"""The period a dashboard covers: a span of whole calendar months, which is how the figures are kept."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from core.time import EARLIEST_RECORDED_DAY, LATEST_RECORDED_DAY, local_today

from .filters import read_param

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# A dashboard period may not be longer than this; longer spans are read a few years at a time.
MAX_MONTHS = 120


@dataclass(frozen=True)
class Period:
    first_month: datetime.date  # the first day of the first month
    last_month: datetime.date  # the first day of the last month (inclusive)

    @property
    def start(self) -> datetime.date:
        return self.first_month

    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
        return next_month(self.last_month) - datetime.timedelta(days=1)

    def months(self) -> list[datetime.date]:
        months, month = [], self.first_month
        while month <= self.last_month:
            months.append(month)
            month = next_month(month)
        return months

    def as_dict(self) -> dict:
        return {
            "from": self.first_month.strftime("%Y-%m"),
            "to": self.last_month.strftime("%Y-%m"),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def month_just_ended(today: datetime.date | None = None) -> datetime.date:
    """The last whole month before today in Shanghai: the latest one a ranking can be published for."""
    return previous_month(today or local_today())


def _parse_month(value: str, field: str) -> datetime.date:
    match = _MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError({field: [_("Give a month as YYYY-MM, for example 2026-03.")]})
    year = int(match.group(1))
    if not EARLIEST_RECORDED_DAY.year <= year <= LATEST_RECORDED_DAY.year:
        raise ValidationError(
            {
                field: [
                    _("Give a month from %(first)s to %(last)s.")
                    % {
                        "first": EARLIEST_RECORDED_DAY.strftime("%Y-%m"),
                        "last": LATEST_RECORDED_DAY.strftime("%Y-%m"),
                    }
                ]
            }
        )
    return datetime.date(year, int(match.group(2)), 1)


def month_from_params(params, name: str, *, default: datetime.date) -> datetime.date:
    """One month, YYYY-MM, as the first day of it; `default` when the parameter is absent."""
    value = read_param(params, name)
    return _parse_month(value, name) if value else default


def period_from_params(params) -> Period:
    """`from` and `to` as YYYY-MM, both inclusive; by default this year up to this month."""
    today = local_today()
    this_month = today.replace(day=1)
    first_param, last_param = read_param(params, "from"), read_param(params, "to")
    first = _parse_month(first_param, "from") if first_param else this_month.replace(month=1)
    last = _parse_month(last_param, "to") if last_param else this_month
    if first > last:
        raise ValidationError({"to": [_("The period must end on or after the month it starts.")]})
    if (last.year - first.year) * 12 + last.month - first.month + 1 > MAX_MONTHS:
        raise ValidationError(
            {"from": [_("A period may cover at most %(months)d months.") % {"months": MAX_MONTHS}]}
        )
    return Period(first_month=first, last_month=last)
