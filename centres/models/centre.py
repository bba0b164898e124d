"""Foreign-invested R&D centres and the people to contact there."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from commissioners.models import BilingualNameMixin, District
from core.changes import track_changes, track_links
from policies.models import SpecialArea

# GB 32100-2015: 18 characters from this alphabet (digits and capitals without I, O, S, V, Z);
# the last is a check character computed from the first 17 with these weights.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_LENGTH = 18
CREDIT_CODE_WRONG_LENGTH = _("A unified social credit code has 18 characters.")
CREDIT_CODE_WRONG_CHARACTERS = _(
    "A unified social credit code has only digits and the capitals A to Y except I, O, S, V and Z."
)
CREDIT_CODE_WRONG_CHECK = _("This unified social credit code's check character is wrong: mistyped?")


def credit_code_check_character(first_17: str) -> str:
    """The check character (the 18th) of a unified social credit code."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first_17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """A unified social credit code (统一社会信用代码) per GB 32100-2015, check character included."""
    if len(value) != CREDIT_CODE_LENGTH:
        raise ValidationError(CREDIT_CODE_WRONG_LENGTH, code="credit_code_length")
    if any(c not in CREDIT_CODE_ALPHABET for c in value):
        raise ValidationError(CREDIT_CODE_WRONG_CHARACTERS, code="credit_code_characters")
    if credit_code_check_character(value[:17]) != value[17]:
        raise ValidationError(CREDIT_CODE_WRONG_CHECK, code="credit_code_check")


@track_changes()
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


class GuidanceClass(models.TextChoices):
    """The class the development assessment puts a centre in (分类指导); it sets the contact interval."""

    UNCLASSIFIED = "unclassified", _("not yet classified")
    LEADING = "leading", _("leading")
    GROWING = "growing", _("growing")
    NEEDS_ATTENTION = "needs_attention", _("needs attention")


@track_changes(exclude=["next_contact_due"])
class Centre(BilingualNameMixin):
    """A foreign-invested R&D centre looked after by a district commissioner."""

    CentreType = CentreType
    Status = CentreStatus

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=CREDIT_CODE_LENGTH,
        blank=True,
        default="",
        validators=[validate_credit_code],
        help_text=_("统一社会信用代码: 18 characters (GB 32100-2015)."),
    )
    registry_key = models.CharField(
        _("registry key"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("The centre's key in the registry it was imported from."),
    )
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
    guidance_class = models.CharField(
        _("guidance class"),
        max_length=30,
        choices=GuidanceClass.choices,
        default=GuidanceClass.UNCLASSIFIED,
    )
    # The latest contact recorded; the contact sweep reads it instead of the contact log.
    last_contacted_on = models.DateField(_("last contacted on"), null=True, blank=True)
    # Stored, not computed per read, so a list of 50,000 centres is sorted and filtered by an
    # index; `centres.scheduling.refresh_next_contact_due` keeps it after every write it rests on.
    next_contact_due = models.DateField(
        _("next contact due"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The last contact (or the registration) plus the guidance class's contact interval."),
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
            models.CheckConstraint(
                name="centre_guidance_class_valid", condition=Q(guidance_class__in=GuidanceClass.values)
            ),
            models.UniqueConstraint(Lower("name_zh"), "district", name="centre_unique_name_zh_per_district"),
            models.UniqueConstraint(Lower("name_en"), "district", name="centre_unique_name_en_per_district"),
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="centre_unique_credit_code"
            ),
            models.UniqueConstraint(
                fields=["registry_key"], condition=~Q(registry_key=""), name="centre_unique_registry_key"
            ),
        ]
        indexes = [
            models.Index(fields=["district", "status"]),
            models.Index(fields=["next_contact_due", "id"], name="centre_next_contact_due"),
            models.Index(fields=["district", "next_contact_due", "id"], name="centre_district_contact_due"),
        ]

    @property
    def special_areas(self) -> frozenset[str]:
        """The special areas the centre is in, from its own flags: what routing and eligibility read."""
        flags = {
            SpecialArea.FREE_TRADE_ZONE: self.in_free_trade_zone,
            SpecialArea.LINGANG: self.in_lingang,
            SpecialArea.ZHANGJIANG: self.in_zhangjiang,
        }
        return frozenset(area.value for area, is_in in flags.items() if is_in)


@track_changes()
class ContactPerson(models.Model):
    """Someone at a centre whom the commissioners talk to."""

    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(pgettext_lazy("of a person", "title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


@track_changes()
class ContactInterval(models.Model):
    """How often the commissioners contact a centre of a guidance class; administrators keep it."""

    guidance_class = models.CharField(
        _("guidance class"), max_length=30, choices=GuidanceClass.choices, unique=True
    )
    days = models.PositiveSmallIntegerField(_("days between contacts"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["days"]
        verbose_name = _("contact interval")
        verbose_name_plural = _("contact intervals")
        constraints = [models.CheckConstraint(name="contact_interval_positive", condition=Q(days__gte=1))]

    def __str__(self) -> str:
        return f"{self.get_guidance_class_display()}: {self.days}"


class ContactKind(models.TextChoices):
    VISIT = "visit", _("visit")
    CALL = "call", _("call")
    MEETING = "meeting", _("meeting")
    POLICY_BRIEFING = "policy_briefing", _("policy briefing")


@track_changes()
class ContactRecord(models.Model):
    """A routine contact with a centre (走访, call, meeting, policy briefing)."""

    Kind = ContactKind

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="contact_records"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ContactKind.choices)
    contacted_on = models.DateField(_("date of contact"))
    participants = models.TextField(_("who took part"), max_length=2000)
    summary = models.TextField(_("summary"), max_length=20_000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="contact_records",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-contacted_on", "-id"]
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")
        constraints = [
            models.CheckConstraint(name="contact_kind_valid", condition=Q(kind__in=ContactKind.values))
        ]
        indexes = [models.Index(fields=["centre", "-contacted_on"], name="contact_centre_latest")]

    def __str__(self) -> str:
        return f"{self.centre} {self.contacted_on} {self.get_kind_display()}"


@track_changes()
class FollowUp(models.Model):
    """Something a district commissioner must do by a date: contact a centre, or call it back on a case.

    Opened by the sweeps (or on answer), closed by the contact or call-back recorded.
    Database constraints keep each one unique however often a sweep runs."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("routine contact")
        CALLBACK = "callback", _("call-back")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    # Which answer of the case this call-back follows (the case's reopen count when answered).
    answer_round = models.PositiveSmallIntegerField(_("answer round"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due on"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_record = models.ForeignKey(
        ContactRecord,
        verbose_name=_("closed by contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_follow_ups",
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported to the city at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                name="follow_up_kind_shape",
                condition=Q(kind="contact", case__isnull=True, answer_round__isnull=True)
                | Q(kind="callback", case__isnull=False, answer_round__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["centre"],
                condition=Q(kind="contact", closed_at__isnull=True),
                name="follow_up_one_open_contact_per_centre",
            ),
            models.UniqueConstraint(
                fields=["case", "answer_round"],
                condition=Q(kind="callback"),
                name="follow_up_one_callback_per_answer",
            ),
        ]
        indexes = [
            models.Index(
                fields=["assignee", "due_on"], condition=Q(closed_at__isnull=True), name="follow_up_open_mine"
            ),
            models.Index(
                fields=["kind", "due_on"], condition=Q(closed_at__isnull=True), name="follow_up_open_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.centre} {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


track_links(Centre.research_fields.through, app_label="centres", name="CentreResearchFieldChange")
