"""The policy catalogue: measures and the bureaus responsible for them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commissioners.models import Bureau
from core.changes import track_changes


class Programme(models.TextChoices):
    SHANGHAI_2024 = "shanghai_2024", _("Shanghai 2024 R&D centre upgrade plan")
    NATIONAL_2023 = (
        "national_2023",
        _("National 2023 measures for foreign-invested R&D centres"),
    )


@track_changes()
class Measure(models.Model):
    """A support measure of one of the two policy programmes."""

    Programme = Programme

    programme = models.CharField(_("programme"), max_length=30, choices=Programme.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    group_zh = models.CharField(_("group (Chinese)"), max_length=100, blank=True)
    group_en = models.CharField(_("group (English)"), max_length=100, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        # The table keeps the name it had when the catalogue lived in the cases app.
        db_table = "cases_measure"
        ordering = ["programme", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="measure_unique_number_per_programme",
            ),
            models.CheckConstraint(
                name="measure_programme_valid",
                condition=Q(programme__in=Programme.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} {self.number}: {self.title}"

    @property
    def title(self) -> str:
        language = get_language() or "zh-hans"
        return self.title_en if language.startswith("en") else self.title_zh


class SpecialArea(models.TextChoices):
    """The special areas a measure names units for (measure 4: the FTZ and Lingang administrations;
    the Zhangjiang and FTZ pilots of the 2018 study). A centre's own flags say which it is in."""

    FREE_TRADE_ZONE = "free_trade_zone", _("the Pilot Free Trade Zone")
    LINGANG = "lingang", _("the Lingang Special Area")
    ZHANGJIANG = "zhangjiang", _("Zhangjiang")


@track_changes()
class ResponsibleUnit(models.Model):
    """One bureau responsible for a measure: a row of the routing table administrators edit.

    A unit either names a bureau or stands for "the government of the centre's own
    district" (各区政府), which is resolved per case.
    """

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        related_name="responsible_units",
    )
    bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
    )
    is_centre_district_government = models.BooleanField(
        _("the centre's own district government"),
        default=False,
        help_text=_("各区政府: resolved to the government of the district where the centre is registered."),
    )
    is_lead = models.BooleanField(_("lead"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    only_for_area = models.CharField(
        _("only for centres in"),
        max_length=20,
        choices=SpecialArea.choices,
        blank=True,
        help_text=_(
            "A unit the measure names for a special area (e.g. the Lingang administration in measure 4) "
            "is proposed only for a centre in that area; empty: for every centre."
        ),
    )

    class Meta:
        db_table = "cases_responsibleunit"
        ordering = ["measure", "order", "id"]
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        constraints = [
            models.CheckConstraint(
                name="responsible_unit_bureau_xor_district_government",
                condition=(Q(bureau__isnull=False) & Q(is_centre_district_government=False))
                | (Q(bureau__isnull=True) & Q(is_centre_district_government=True)),
            ),
            models.UniqueConstraint(
                fields=["measure"],
                condition=Q(is_lead=True),
                name="responsible_unit_one_lead_per_measure",
            ),
            models.UniqueConstraint(
                fields=["measure", "bureau"],
                name="responsible_unit_bureau_once_per_measure",
            ),
            models.CheckConstraint(
                name="responsible_unit_area_valid", condition=Q(only_for_area__in=["", *SpecialArea.values])
            ),
            models.UniqueConstraint(
                fields=["measure"],
                condition=Q(is_centre_district_government=True),
                name="responsible_unit_district_government_once_per_measure",
            ),
        ]

    def __str__(self) -> str:
        if self.is_centre_district_government:
            return str(_("the centre's own district government"))
        return str(self.bureau)
