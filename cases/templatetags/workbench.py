"""The workbench's small pieces every list row shows: a deadline's countdown and a case's flags.

Written as tags rather than `{% include %}`s: an inbox page shows fifty of each, and an include per
row was a fifth of the page's time (bench/pages_bench.py)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext

from cases.deadlines import Countdown

register = template.Library()

PROVISIONAL = gettext_noop(
    "The holiday calendar of a year it crosses is not entered yet: the date may still move."
)


@register.simple_tag
def countdown(clock: Countdown | None) -> SafeString:
    """The date, the working days left or overdue, and whether the date may still move."""
    if clock is None:
        return mark_safe('<span class="muted">—</span>')
    days = clock.days_left
    if days is None:
        said = ""
    elif clock.is_overdue:
        said = format_html(
            '<strong class="flag bad">{}</strong>',
            ngettext(
                "overdue by %(days)s working day", "overdue by %(days)s working days", clock.overdue_days
            )
            % {"days": clock.overdue_days},
        )
    elif days == 0:
        said = format_html('<strong class="flag warn">{}</strong>', gettext("due today"))
    else:
        said = format_html(
            '<span class="muted">{}</span>',
            ngettext("%(days)s working day left", "%(days)s working days left", days) % {"days": days},
        )
    state = " overdue" if clock.is_overdue else " due-today" if days == 0 else ""
    provisional = (
        format_html(
            '<span class="flag provisional" title="{}">{}</span>',
            gettext(PROVISIONAL),
            gettext("provisional"),
        )
        if clock.is_provisional
        else ""
    )
    return format_html(
        '<span class="countdown{}" data-testid="countdown" data-days-left="{}">'
        '<time datetime="{}">{}</time> {} {}</span>',
        state,
        "" if days is None else days,
        clock.due_on.isoformat(),
        clock.due_on.isoformat(),
        said,
        provisional,
    )


@register.simple_tag
def case_flags(case) -> SafeString:
    """Urgency, confidentiality and supervision, after a case's title in a list."""
    flags = []
    if case.urgency != "normal":
        flags.append(("flag warn", case.get_urgency_display()))
    if case.is_confidential:
        flags.append(("flag", gettext("confidential")))
    if case.is_supervised:
        flags.append(("flag bad", gettext("supervised")))
    return format_html_join(" ", '<span class="{}">{}</span>', flags)
