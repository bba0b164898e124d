"""The Chinese working-day calendar and the deadline rules, both edited by administrators."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.changes import track_changes


@track_changes()
class CalendarYear(models.Model):
    """A year whose State Council holiday notice has been entered; other years count Monday to Friday."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


@track_changes()
class CalendarDay(models.Model):
    """An exception to Monday to Friday: a weekday holiday or an adjusted working weekend day (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


@track_changes()
class DeadlineRule(models.Model):
    """How many working days each step of a case of one urgency may take: the city's triage, the
    bureaus' acceptance, contributions and answer, a referral's follow-up and a supervision's reply."""

    urgency = models.CharField(
        _("urgency"), max_length=20, unique=True, choices=[("normal", _("normal")), ("urgent", _("urgent"))]
    )
    accept_working_days = models.PositiveSmallIntegerField(
        _("accept within (working days)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    answer_working_days = models.PositiveSmallIntegerField(
        _("answer within (working days)"), validators=[MinValueValidator(1), MaxValueValidator(250)]
    )
    # The clocks around the bureaus' own: the city's triage, a co-handler's contribution, a
    # referral's follow-up with the national department and the reply to a supervision (督办).
    triage_working_days = models.PositiveSmallIntegerField(
        _("dispatch within (working days)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("From logging (or a return) to dispatch by a city commissioner."),
    )
    contribute_working_days = models.PositiveSmallIntegerField(
        _("co-handlers contribute within (working days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=_("From dispatch; the lead may answer without a contribution only after it."),
    )
    referral_working_days = models.PositiveSmallIntegerField(
        _("follow up a referral within (working days)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )
    supervision_working_days = models.PositiveSmallIntegerField(
        _("reply to a supervision within (working days)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        ordering = ["urgency"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self) -> str:
        return f"{self.get_urgency_display()}: {self.accept_working_days} / {self.answer_working_days}"
