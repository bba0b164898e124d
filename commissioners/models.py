"""The organisation: districts, bureaus and the people who work the cases."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.changes import track_changes, track_links


class BilingualNameMixin(models.Model):
    """A Chinese and an English name, shown in the language of the request."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = get_language() or "zh-hans"
        return self.name_en if language.startswith("en") else self.name_zh


def name_column() -> str:
    """The column of a bilingual name in the language of the request."""
    language = get_language() or "zh-hans"
    return "name_en" if language.startswith("en") else "name_zh"


def bilingual_name(relation: str) -> F:
    """The related row's name in the language of the request, as a column of the query."""
    return F(f"{relation}__{name_column()}")


@track_changes()
class District(BilingualNameMixin):
    """One of Shanghai's sixteen districts."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


@track_changes()
class Bureau(BilingualNameMixin):
    """A responsible unit (责任单位): a city bureau, a district government or a national department."""

    class Level(models.TextChoices):
        CITY = "city", _("city bureau")
        DISTRICT_GOVERNMENT = "district_government", _("district government")
        NATIONAL = "national", _("national department")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    level = models.CharField(_("level"), max_length=30, choices=Level.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bureaus",
        help_text=_("Only for a district government: the district it governs."),
    )

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")
        constraints = [
            models.CheckConstraint(
                name="bureau_district_iff_district_government",
                condition=(Q(level="district_government") & Q(district__isnull=False))
                | (~Q(level="district_government") & Q(district__isnull=True)),
            ),
            models.UniqueConstraint(
                fields=["district"],
                condition=Q(level="district_government"),
                name="bureau_one_government_per_district",
            ),
        ]


class Role(models.TextChoices):
    DISTRICT_COMMISSIONER = "district_commissioner", _("district commissioner")
    CITY_COMMISSIONER = "city_commissioner", _("city commissioner")
    BUREAU_STAFF = "bureau_staff", _("bureau staff")
    MANAGER = "manager", _("manager")
    ADMINISTRATOR = "administrator", _("administrator")


class CommissionerUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


@track_changes(password_field="password")
class User(AbstractUser):
    """A person using the system; the one role decides what they may see and do."""

    Role = Role

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, db_index=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commissioners",
        help_text=_(
            "Required for a district commissioner; for a manager, the district whose leadership they are "
            "(empty for the city's managers)."
        ),
    )
    bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Required for bureau staff."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
        help_text=_("The language of notifications and e-mails."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = CommissionerUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_role_valid",
                condition=Q(role__in=[choice.value for choice in Role]),
            ),
            models.CheckConstraint(
                name="user_district_for_commissioner_or_manager",
                condition=(Q(role="district_commissioner") & Q(district__isnull=False))
                | Q(role="manager")
                | (~Q(role__in=["district_commissioner", "manager"]) & Q(district__isnull=True)),
            ),
            models.CheckConstraint(
                name="user_bureau_iff_bureau_staff",
                condition=(Q(role="bureau_staff") & Q(bureau__isnull=False))
                | (~Q(role="bureau_staff") & Q(bureau__isnull=True)),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.role == Role.DISTRICT_COMMISSIONER and not self.district_id:
            errors["district"] = _("A district commissioner must be bound to a district.")
        if self.role not in (Role.DISTRICT_COMMISSIONER, Role.MANAGER) and self.district_id:
            errors["district"] = _(
                "Only a district commissioner or a district's manager is bound to a district."
            )
        if self.role == Role.BUREAU_STAFF and not self.bureau_id:
            errors["bureau"] = _("Bureau staff must be bound to a bureau.")
        if self.role != Role.BUREAU_STAFF and self.bureau_id:
            errors["bureau"] = _("Only bureau staff are bound to a bureau.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_district_commissioner(self) -> bool:
        return self.role == Role.DISTRICT_COMMISSIONER

    @property
    def is_city_commissioner(self) -> bool:
        return self.role == Role.CITY_COMMISSIONER

    @property
    def is_bureau_staff(self) -> bool:
        return self.role == Role.BUREAU_STAFF

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR


class NotificationKind(models.TextChoices):
    ACCEPT_DUE = "accept_due", _("a case is due to be accepted")
    ANSWER_DUE = "answer_due", _("a case is due to be answered")
    CASE_OVERDUE = "case_overdue", _("a case is overdue")
    CASES_OVERDUE = "cases_overdue", _("cases passed their deadline (a summary)")
    SUPERVISION_OPENED = "supervision_opened", _("a case was put under supervision")
    CALLBACK_DUE = "callback_due", _("a call-back is due")
    CALLBACK_MISSED = "callback_missed", _("a call-back was missed")
    CALLBACK_REPORTED = "callback_reported", _("a missed call-back is reported")
    CONTACT_DUE = "contact_due", _("a routine contact is due")
    ASSESSMENTS_OPENED = "assessments_opened", _("assessments are open to fill in")
    ASSESSMENTS_DUE = "assessments_due", _("assessments are due soon")
    ASSESSMENTS_OVERDUE = "assessments_overdue", _("assessments are overdue")
    ASSESSMENT_RETURNED = "assessment_returned", _("an assessment was returned for correction")
    FINDING_ROUTED = "finding_routed", _("an assessment finding was routed to your bureau")
    FINDING_OUTCOME_DUE = "finding_outcome_due", _("an eligibility finding awaits its outcome")
    CASE_LOGGED = "case_logged", _("a case was logged")
    CASE_DISPATCHED = "case_dispatched", _("a case was dispatched to your bureau")
    CASE_RETURNED = "case_returned", _("a case was returned as misrouted")
    RETURN_RULED = "return_ruled", _("a return was ruled on")
    TRIAGE_OVERDUE = "triage_overdue", _("a logged case waits for dispatch past its triage deadline")
    CASE_ACCEPTED = "case_accepted", _("a case was accepted")
    CASE_ANSWERED = "case_answered", _("a case was answered")
    CONTRIBUTION_RECEIVED = "contribution_received", _("a co-handling bureau contributed")
    CONTRIBUTION_DUE = "contribution_due", _("a co-handling contribution is due")
    EXTENSION_REQUESTED = "extension_requested", _("a deadline extension was requested")
    EXTENSION_DECIDED = "extension_decided", _("a deadline extension was decided")
    REFERRAL_FOLLOW_UP_DUE = "referral_follow_up_due", _("a referral's follow-up is due")
    REFERRAL_OVERDUE = "referral_overdue", _("a referral is overdue")
    REFERRAL_OUTCOME = "referral_outcome", _("a referral's outcome was recorded")
    SUPERVISION_REPLIED = "supervision_replied", _("a bureau replied to a supervision")
    SUPERVISION_DUE = "supervision_due", _("a reply to a supervision is due")
    SUPERVISION_OVERDUE = "supervision_overdue", _("a supervision is overdue and escalated")
    CALLBACK_UNREACHABLE = "callback_unreachable", _("a call-back could not reach the centre")
    APPEAL_FILED = "appeal_filed", _("a bureau appealed a case's inclusion in its rates (申诉核减)")
    APPEAL_DECIDED = "appeal_decided", _("an appeal against a case's inclusion in the rates was decided")
    POLICY_ISSUE_DISPATCHED = "policy_issue_dispatched", _("a policy issue was dispatched to your bureau")
    POLICY_ISSUE_ANSWERED = "policy_issue_answered", _("a policy issue was answered")
    POLICY_ISSUE_SUPERVISED = "policy_issue_supervised", _("a policy issue was put under supervision")
    POLICY_ISSUE_OVERDUE = "policy_issue_overdue", _("a policy issue is overdue")


class Notification(models.Model):
    """One message for one user, in the in-app inbox and by e-mail: at once, or in the daily digest
    when the user chose that for its kind (`NotificationPreference`).

    Stored as a kind and its parameters and written out in the reader's language.
    `key` names the event it reports: a user gets one notification per event, however
    often or however concurrently the jobs that find the event run (a database constraint)."""

    Kind = NotificationKind

    # Indexed by the unique (recipient, key) and the inbox index, which both start with it.
    recipient = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    key = models.CharField(_("event"), max_length=200)
    params = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event"),
            models.CheckConstraint(
                name="notification_kind_valid", condition=Q(kind__in=NotificationKind.values)
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(
                fields=["created_at"], condition=Q(emailed_at__isnull=True), name="notification_unsent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.kind} {self.key}"


class NotificationDelivery(models.TextChoices):
    IMMEDIATE = "immediate", _("by e-mail at once")
    DIGEST = "digest", _("in the daily digest")


@track_changes()
class NotificationPreference(models.Model):
    """How one user wants one kind of notification e-mailed; a kind with no row goes at once."""

    Delivery = NotificationDelivery

    # Indexed by the unique (user, kind), which starts with it.
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    delivery = models.CharField(
        _("delivery"),
        max_length=20,
        choices=NotificationDelivery.choices,
        default=NotificationDelivery.IMMEDIATE,
    )

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once_per_kind"),
            models.CheckConstraint(
                name="notification_preference_kind_valid", condition=Q(kind__in=NotificationKind.values)
            ),
            models.CheckConstraint(
                name="notification_preference_delivery_valid",
                condition=Q(delivery__in=NotificationDelivery.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.delivery}"


class DailyDigest(models.Model):
    """The one digest e-mail a user gets on a working day."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField(_("day"))
    item_count = models.PositiveIntegerField(_("items"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day}"


class OutgoingEmail(models.Model):
    """One e-mail to one address, written out once and sent exactly once (`commissioners.mail`).

    A notification or a daily digest has at most one (the one-to-one columns). A sender claims a
    row for a while, sends it outside any database lock and marks it sent on its own; a failure is
    retried with backoff, then given up and left for an administrator to see and retry."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("given up")

    notification = models.OneToOneField(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email",
    )
    digest = models.OneToOneField(
        DailyDigest,
        verbose_name=_("daily digest"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email",
    )
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # A sender is sending it until then; a sender that died leaves it to be claimed again after.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [
            models.CheckConstraint(
                name="outgoing_email_status_valid", condition=Q(status__in=["pending", "sent", "failed"])
            ),
            models.CheckConstraint(
                name="outgoing_email_one_source",
                condition=Q(notification__isnull=True) | Q(digest__isnull=True),
            ),
            models.CheckConstraint(
                name="outgoing_email_sent_has_time", condition=~Q(status="sent") | Q(sent_at__isnull=False)
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"], condition=Q(status="pending"), name="outgoing_email_due"
            ),
            models.Index(fields=["status", "-created_at"], name="outgoing_email_status"),
        ]

    def __str__(self) -> str:
        return f"{self.to} {self.subject}"


class IdempotentRequest(models.Model):
    """A write a client sent with an `Idempotency-Key`, and the answer it got: the same key from the
    same user within a day gets that answer again and changes nothing (`commissioners.idempotency`)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    # SHA-256 of the method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    response_body = models.JSONField(_("response"), null=True, blank=True)
    etag = models.CharField(_("ETag"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]
        indexes = [models.Index(fields=["created_at"], name="idempotent_request_age")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.method} {self.path} {self.key}"


# Who is in which group and holds which permission is part of a user's role in the admin.
track_links(User.groups.through, app_label="commissioners", name="UserGroupChange")
track_links(User.user_permissions.through, app_label="commissioners", name="UserPermissionChange")
