"""Foreign-invested R&D centres and the people to contact there."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from commissioners.models import BilingualNameMixin, District


class ResearchField(BilingualNameMixin):
    """A field of research a centre works in (biomedicine, semiconductors, ...)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("field of research")
        verbose_name_plural = _("fields of research")


class CentreType(models.TextChoices):
    """The four kinds of centre named in the policy documents."""

    RD_CENTRE = "rd_centre", _("foreign-invested R&D centre")
    GLOBAL_RD_CENTRE = "global_rd_centre", _("global R&D centre")
    REGIONAL_RD_CENTRE = "regional_rd_centre", _("regional R&D centre")
    OPEN_INNOVATION_PLATFORM = (
        "open_innovation_platform",
        _("foreign-invested open innovation platform"),
    )


class CentreStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class Centre(BilingualNameMixin):
    """A foreign-invested R&D centre looked after by a district commissioner."""

    CentreType = CentreType
    Status = CentreStatus

    parent_company = models.CharField(_("parent company"), max_length=200)
    parent_country = CountryField(_("parent company's country or region"))
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="centres",
    )
    centre_type = models.CharField(_("centre type"), max_length=40, choices=CentreType.choices)
    in_free_trade_zone = models.BooleanField(_("in the Pilot Free Trade Zone"), default=False)
    in_lingang = models.BooleanField(_("in the Lingang Special Area"), default=False)
    in_zhangjiang = models.BooleanField(_("in Zhangjiang"), default=False)
    recognised_on = models.DateField(_("recognition date"), null=True, blank=True)
    full_time_rd_staff = models.PositiveIntegerField(_("full-time R&D staff"), default=0)
    total_staff = models.PositiveIntegerField(_("total staff"), default=0)
    research_fields = models.ManyToManyField(
        ResearchField,
        verbose_name=_("fields of research"),
        blank=True,
        related_name="centres",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CentreStatus.choices,
        default=CentreStatus.ACTIVE,
        db_index=True,
    )
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("district commissioner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="centres",
        limit_choices_to={"role": "district_commissioner"},
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["district__order", "name_zh"]
        verbose_name = _("R&D centre")
        verbose_name_plural = _("R&D centres")
        constraints = [
            models.CheckConstraint(
                name="centre_rd_staff_within_total",
                condition=Q(full_time_rd_staff__lte=F("total_staff")),
            ),
            models.CheckConstraint(name="centre_type_valid", condition=Q(centre_type__in=CentreType.values)),
            models.CheckConstraint(name="centre_status_valid", condition=Q(status__in=CentreStatus.values)),
            models.UniqueConstraint(Lower("name_zh"), "district", name="centre_unique_name_zh_per_district"),
            models.UniqueConstraint(Lower("name_en"), "district", name="centre_unique_name_en_per_district"),
        ]
        indexes = [models.Index(fields=["district", "status"])]


class ContactPerson(models.Model):
    """Someone at a centre whom the commissioners talk to."""

    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name
