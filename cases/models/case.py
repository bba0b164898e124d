"""A centre's difficulty as a case: the state machine, its assignments and its history."""

from django.conf import settings
from django.db import models
from django.db.models import Case as Conditional
from django.db.models import F, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from cases import rules
from centres.models import Centre, ContactRecord
from commissioners.models import AppendOnlyModel, Bureau, District

from .measures import Measure


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    DISPATCHED = "dispatched", _("dispatched")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    REFERRED_UP = "referred_up", _("referred upward")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")


class CaseSource(models.TextChoices):
    VISIT = "visit", _("visit")
    CALL = "call", _("call")
    MEETING = "meeting", _("meeting")
    ASSESSMENT = "assessment", _("assessment")
    OTHER = "other", _("other")


class AnswerOutcome(models.TextChoices):
    SOLVED = "solved", _("solved")
    EXPLAINED = "explained", _("explained")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
    UNSATISFIED = "unsatisfied", _("unsatisfied")


def _may(move: str):
    """django-fsm permission: the rule table decides who may make the move."""
    return lambda case, user: rules.actor_may(move, case, user)


S = CaseState


class Case(models.Model):
    """A difficulty a centre met, logged by its district commissioner and worked until confirmed."""

    State = CaseState

    # No single-column indexes on centre, district, measure and lead bureau: the compound
    # indexes in Meta start with each of them, and every index slows the sweeps' bulk updates.
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    # The district the case was logged in; copied from the centre so scoping needs no join.
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    source = models.CharField(
        _("source"), max_length=20, choices=CaseSource.choices, default=CaseSource.VISIT
    )
    state = FSMField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.SUBMITTED)
    contact_record = models.ForeignKey(
        ContactRecord,
        verbose_name=_("raised during contact"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_raised",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="logged_cases",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    lead_bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("lead bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
        db_index=False,
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accept_due_on = models.DateField(_("accept by"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer by"), null=True, blank=True)
    answer_due_original = models.DateField(_("answer by (before extensions)"), null=True, blank=True)
    due_is_provisional = models.BooleanField(
        _("deadline provisional"),
        default=False,
        help_text=_("A deadline crosses a year whose holiday calendar has not been entered."),
    )
    # The deadline of the step the case waits for: accepting while dispatched, answering while
    # in progress. Kept by the database, so "overdue" is one indexed comparison with today.
    current_due_on = models.GeneratedField(
        verbose_name=_("due by (current step)"),
        expression=Conditional(
            When(state=S.DISPATCHED, then=F("accept_due_on")),
            When(state=S.IN_PROGRESS, then=F("answer_due_on")),
        ),
        output_field=models.DateField(),
        db_persist=True,
        # Empty in every other state; declared so that `exclude()` keeps those cases.
        null=True,
    )
    # The deadline whose passing the sweep has escalated (notified, supervised): each deadline once.
    escalated_due_on = models.DateField(_("deadline escalated as overdue"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    answer_actions = models.TextField(_("what was done"), blank=True)
    answer_outcome = models.CharField(_("outcome"), max_length=20, choices=AnswerOutcome.choices, blank=True)

    callback_at = models.DateTimeField(_("call-back at"), null=True, blank=True)
    callback_resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    callback_satisfaction = models.CharField(
        _("satisfaction"), max_length=30, choices=Satisfaction.choices, blank=True
    )
    callback_note = models.TextField(_("call-back note"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0)

    referred_to = models.ForeignKey(
        Bureau,
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_cases",
    )
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    referral_note = models.TextField(_("referral note"), blank=True)
    referral_outcome = models.TextField(_("referral outcome"), blank=True)

    is_supervised = models.BooleanField(_("under supervision"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(name="case_state_valid", condition=Q(state__in=CaseState.values)),
            models.CheckConstraint(name="case_urgency_valid", condition=Q(urgency__in=Urgency.values)),
            models.CheckConstraint(
                name="case_dispatched_has_lead",
                condition=Q(state__in=[S.SUBMITTED, S.WITHDRAWN, S.REFERRED_UP])
                | Q(lead_bureau__isnull=False)
                | Q(referred_to__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="case_newest_first"),
            models.Index(fields=["state", "-created_at"], name="case_state_newest"),
            models.Index(fields=["district", "state"], name="case_district_state"),
            models.Index(fields=["lead_bureau", "state"], name="case_lead_state"),
            models.Index(fields=["measure", "state"], name="case_measure_state"),
            models.Index(fields=["centre", "-created_at"], name="case_centre_newest"),
            # Counting a filtered list stays an index-only scan for the common filters.
            models.Index(fields=["state", "answer_due_on"], name="case_state_answer_due"),
            models.Index(fields=["state", "accept_due_on"], name="case_state_accept_due"),
            models.Index(fields=["answer_due_on"], name="case_answer_due"),
            models.Index(fields=["urgency"], name="case_urgency"),
            models.Index(fields=["current_due_on"], name="case_current_due"),
            # A district commissioner's list is counted from this index alone.
            models.Index(
                fields=["district", "created_at"],
                include=[
                    "state",
                    "is_confidential",
                    "created_by",
                    "urgency",
                    "measure",
                    "answer_due_on",
                    "accept_due_on",
                ],
                name="case_district_cover",
            ),
            # Narrow copy of the columns visibility and counting read: a count over many cases
            # scans this instead of the wide table.
            models.Index(
                fields=["id"],
                include=[
                    "state",
                    "district",
                    "is_confidential",
                    "lead_bureau",
                    "created_by",
                    "urgency",
                    "answer_due_on",
                ],
                name="case_scope_cover",
            ),
            models.Index(fields=["created_at"], condition=Q(is_confidential=True), name="case_confidential"),
            models.Index(fields=["created_at"], condition=Q(is_supervised=True), name="case_supervised"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def current_assignments(self) -> list["Assignment"]:
        """The bureaus handling the case now; uses a `current_assignments` prefetch when there is one."""
        if hasattr(self, "prefetched_current_assignments"):
            return self.prefetched_current_assignments
        return list(self.assignments.filter(is_current=True))

    def has_pending_extension(self) -> bool:
        if hasattr(self, "pending_extension"):
            return self.pending_extension
        return self.extension_requests.filter(status="pending").exists()

    # The moves that change the state. Services call them; the rule table decides who.
    @transition(
        field=state,
        source=[S.SUBMITTED, S.DISPATCHED, S.IN_PROGRESS],
        target=S.WITHDRAWN,
        permission=_may("withdraw"),
    )
    def withdraw(self):
        self.closed_at = timezone.now()

    @transition(field=state, source=S.SUBMITTED, target=S.DISPATCHED, permission=_may("dispatch"))
    def dispatch(self):
        self.dispatched_at = timezone.now()

    @transition(field=state, source=S.DISPATCHED, target=S.IN_PROGRESS, permission=_may("accept"))
    def accept(self):
        self.accepted_at = timezone.now()

    @transition(field=state, source=S.DISPATCHED, target=S.SUBMITTED, permission=_may("return"))
    def return_to_triage(self):
        self.return_count += 1
        self.lead_bureau = None
        self.dispatched_at = self.accept_due_on = self.answer_due_on = self.answer_due_original = None

    @transition(field=state, source=S.IN_PROGRESS, target=S.ANSWERED, permission=_may("answer"))
    def answer(self):
        self.answered_at = timezone.now()

    @transition(field=state, source=S.ANSWERED, target=S.CLOSED, permission=_may("callback"))
    def close_after_callback(self):
        self.callback_at = self.closed_at = timezone.now()

    @transition(field=state, source=S.ANSWERED, target=S.IN_PROGRESS, permission=_may("callback"))
    def reopen(self):
        self.callback_at = timezone.now()
        self.reopen_count += 1

    @transition(
        field=state,
        source=[S.SUBMITTED, S.DISPATCHED, S.IN_PROGRESS],
        target=S.REFERRED_UP,
        permission=_may("refer_up"),
    )
    def refer_up(self):
        self.referred_at = timezone.now()

    @transition(
        field=state, source=S.REFERRED_UP, target=S.CLOSED, permission=_may("record_referral_outcome")
    )
    def close_referral(self):
        self.closed_at = timezone.now()


class Assignment(models.Model):
    """A bureau's part in a case: the lead's or a co-handler's, with its own acceptance and deadline."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be accepted")
        ACCEPTED = "accepted", _("accepted")
        CONTRIBUTED = "contributed", _("contributed")
        RETURNED = "returned", _("returned as misrouted")
        RELEASED = "released", _("released")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="assignments"
    )
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="assignments"
    )
    is_lead = models.BooleanField(_("lead"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    is_current = models.BooleanField(_("current"), default=True)
    accept_due_on = models.DateField(_("accept by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    contribution = models.TextField(_("contribution"), blank=True)
    contributed_at = models.DateTimeField(_("contributed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Copies of the case's columns that a bureau's inbox and visibility read, kept in step by
    # the one service path that moves cases, so a bureau's work is found without the wide case rows.
    case_state = models.CharField(_("case state"), max_length=20, choices=CaseState.choices, blank=True)
    case_is_confidential = models.BooleanField(_("case confidential"), default=False)
    case_answer_due_on = models.DateField(_("case answer by"), null=True, blank=True)

    class Meta:
        ordering = ["-is_lead", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "bureau"],
                condition=Q(is_current=True),
                name="assignment_bureau_once_per_case",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(is_current=True, is_lead=True),
                name="assignment_one_current_lead",
            ),
        ]
        indexes = [
            # The inbox reads only a bureau's assignments on cases being handled.
            models.Index(
                fields=["bureau", "accept_due_on"],
                include=[
                    "case",
                    "is_lead",
                    "status",
                    "case_state",
                    "case_is_confidential",
                    "case_answer_due_on",
                ],
                condition=Q(is_current=True, case_state__in=["dispatched", "in_progress"]),
                name="assignment_inbox",
            ),
            models.Index(
                fields=["bureau", "case"],
                include=["is_lead", "case_is_confidential"],
                condition=Q(is_current=True),
                name="assignment_bureau_cases",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.bureau}"


class CaseEvent(AppendOnlyModel):
    """One line of a case's append-only history: who did what, when, from which state to which, and why."""

    # Indexed by `case_event_history`, which starts with the case.
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events", db_index=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_events",
        help_text=_("Empty for the system's own moves."),
    )
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from state"), max_length=20, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    note = models.TextField(_("note"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case history")
        indexes = [models.Index(fields=["case", "created_at"], name="case_event_history")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class Comment(models.Model):
    """An internal note on a case, seen by whoever may see the case."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="case_comments",
    )
    body = models.TextField(_("comment"), max_length=10_000)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.body[:40]}"


class Attachment(models.Model):
    """A document a centre handed over, stored through Django's storage API."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ExtensionRequest(models.Model):
    """The lead bureau's request for more working days to answer (延期申请)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    bureau = models.ForeignKey(Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    working_days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("deadline extension request")
        verbose_name_plural = _("deadline extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="extension_one_pending_per_case"
            ),
            models.CheckConstraint(name="extension_days_positive", condition=Q(working_days__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.working_days}"


class Supervision(models.Model):
    """A period under the city's supervision (督办): a flag on the case with its own note and deadline."""

    class Reason(models.TextChoices):
        MANUAL = "manual", _("put under supervision by a city commissioner")
        OVERDUE = "overdue", _("a deadline passed")
        REOPENED = "reopened", _("reopened repeatedly")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="supervisions"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, default=Reason.MANUAL)
    note = models.TextField(_("note"))
    due_on = models.DateField(_("supervision deadline"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(closed_at__isnull=True), name="supervision_one_open_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_reason_display()}"
