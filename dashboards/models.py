"""What the dashboards keep of their own: each month's published rankings, frozen when the month ends.

The live figures are sums kept by triggers over the cases as they are now, so a late call-back or a
corrected assignment on an old case moves an old month's ranking. What a month's ranking said when it
was published is kept here, and nothing changes it afterwards: not the application, not the admin,
not raw SQL (a database trigger refuses UPDATE and DELETE).
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.history import AppendOnlyQuerySet, append_only_triggers


class UnitKind(models.TextChoices):
    """What a ranking ranks; each is a column of the case figures' summaries."""

    BUREAU = "bureau", _("bureaus")
    DISTRICT = "district", _("districts")
    MEASURE = "measure", _("measures")


class RankBy(models.TextChoices):
    """The rule a ranking orders its units by (`dashboards.case_figures.ranking_rule` says it in words)."""

    SCORE = "score", _("mean of the three rates")
    RESPONSE = "response", _("response rate")
    RESOLUTION = "resolution", _("resolution rate")
    SATISFACTION = "satisfaction", _("satisfaction rate")


class _Frozen(models.Model):
    """Written once, in bulk, by `dashboards.services`; refused any change or removal afterwards."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name} is frozen.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self._meta.verbose_name} is frozen.")


class PublishedRanking(_Frozen):
    """One month's ranking of one kind of unit by one rule, as it stood when it was published.

    `rows` holds the ranked units in rank order, each with what identified and named it then (the
    unit's id and code, its names in both languages) and its figures: `rank` (null: no data, listed
    last), each rate's `numerator`, `denominator` and `rate`, the `score`, the `returns` and how many
    `cases` stand behind its response and call-back figures. The names and the rule are copies, not
    references: renaming a bureau or rewording the rule later changes nothing here.
    """

    month = models.DateField(_("month"), help_text=_("The first day of the month ranked."))
    unit_kind = models.CharField(_("units ranked"), max_length=20, choices=UnitKind.choices)
    rank_by = models.CharField(_("ranked by"), max_length=20, choices=RankBy.choices)
    rule_zh = models.TextField(_("rule (Chinese)"))
    rule_en = models.TextField(_("rule (English)"))
    rows = models.JSONField(_("ranked units"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    # Empty when the month-end job published it; a person when someone published it by hand.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-month", "unit_kind", "rank_by"]
        verbose_name = _("published ranking")
        verbose_name_plural = _("published rankings")
        constraints = [
            models.UniqueConstraint(fields=["month", "unit_kind", "rank_by"], name="published_ranking_once"),
            models.CheckConstraint(name="published_ranking_whole_month", condition=Q(month__day=1)),
            models.CheckConstraint(
                name="published_ranking_unit_kind_valid", condition=Q(unit_kind__in=UnitKind.values)
            ),
            models.CheckConstraint(
                name="published_ranking_rank_by_valid", condition=Q(rank_by__in=RankBy.values)
            ),
        ]
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.unit_kind} by {self.rank_by}"

    @property
    def rule(self) -> str:
        return self.rule_zh if _in_chinese() else self.rule_en


class PublishedRankingCases(_Frozen):
    """The cases one unit's figures counted when its ranking was published: those of the assignments
    its response rate counted, and those whose call-back its resolution and satisfaction rates counted
    (docs/dashboards.md, "Published rankings"). Case ids, not references: a case is never deleted,
    and the list must stay what was counted whatever becomes of the case."""

    ranking = models.ForeignKey(
        PublishedRanking, verbose_name=_("published ranking"), on_delete=models.PROTECT, related_name="cases"
    )
    unit_id = models.BigIntegerField(_("unit"))
    response_case_ids = ArrayField(models.BigIntegerField(), verbose_name=_("cases of the response rate"))
    callback_case_ids = ArrayField(models.BigIntegerField(), verbose_name=_("cases of the call-back rates"))

    class Meta:
        ordering = ["ranking", "unit_id"]
        verbose_name = _("cases behind a published ranking")
        verbose_name_plural = _("cases behind published rankings")
        constraints = [
            models.UniqueConstraint(fields=["ranking", "unit_id"], name="published_ranking_cases_once"),
        ]
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.ranking} unit {self.unit_id}"


def _in_chinese() -> bool:
    return not (get_language() or "zh-hans").startswith("en")
