"""How a case is handled besides its state: the bureaus' assignments, its history, notes and files,
extension requests and supervision (督办)."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioners.models import Bureau
from core.changes import track_changes
from core.history import AppendOnlyModel, append_only_triggers

from .case import Case, CaseState


class ReturnRuling(models.TextChoices):
    UPHELD = "upheld", _("upheld: the case was misrouted")
    REJECTED = "rejected", _("rejected: the case was the bureau's")


# The copies of the case's columns are the case's history, not the assignment's: a move that only
# copies them records no assignment change (it wrote one per assignment, on every move).
@track_changes(exclude=["case_state", "case_is_confidential", "case_answer_due_on"])
class Assignment(models.Model):
    """A bureau's part in a case: the lead's or a co-handler's, with its own acceptance and deadline."""

    Ruling = ReturnRuling

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
    # A co-handler's own clock for its contribution, and the deadline whose passing was escalated.
    contribute_due_on = models.DateField(_("contribute by"), null=True, blank=True)
    escalated_due_on = models.DateField(_("deadline escalated as overdue"), null=True, blank=True)
    # The city's ruling on a return (退单审核): upheld, the case was misrouted and the return is not
    # counted against the bureau; rejected, the case goes back to it on the deadlines it had.
    return_ruling = models.CharField(
        _("ruling on the return"), max_length=20, choices=ReturnRuling.choices, blank=True
    )
    return_ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("return ruled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_ruled_at = models.DateTimeField(_("return ruled at"), null=True, blank=True)
    return_ruling_note = models.TextField(_("reason for the ruling"), blank=True)
    # The answer deadline the case had when this bureau returned it, restored if the return is rejected.
    answer_due_when_returned = models.DateField(_("answer by (when returned)"), null=True, blank=True)
    # An appeal of this bureau was upheld (申诉核减): this part is left out of its rates.
    excluded_from_rates = models.BooleanField(_("excluded from the bureau's rates"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Copies of the case's columns that a bureau's inbox and visibility read, kept in step by the
    # database (the case's `sync_assignments` trigger), so a bureau's work is found without the wide
    # case rows.
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
            models.CheckConstraint(
                name="assignment_ruled_only_when_returned",
                condition=Q(return_ruling="") | Q(status="returned"),
            ),
        ]
        indexes = [
            # The inbox reads only a bureau's assignments on cases being handled, from the index
            # alone (its due dates, counts and page order: bench/pages_bench.py).
            models.Index(
                fields=["bureau", "accept_due_on"],
                include=[
                    "id",
                    "case",
                    "contribute_due_on",
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
            # Parts excluded from a bureau's rates on appeal are few: the dashboards read them here.
            models.Index(fields=["case"], condition=Q(excluded_from_rates=True), name="assignment_excluded"),
            # Returns are few: the dashboards count them per bureau and ruling from this index.
            models.Index(
                fields=["bureau", "created_at"],
                include=["return_ruling"],
                condition=Q(status="returned"),
                name="assignment_returns",
            ),
        ]
        triggers = [
            # A new assignment starts with its case's copies (`Case`'s `sync_assignments` keeps them).
            pgtrigger.Trigger(
                name="copy_case",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func=(
                    "SELECT state, is_confidential, answer_due_on "
                    "INTO NEW.case_state, NEW.case_is_confidential, NEW.case_answer_due_on "
                    "FROM cases_case WHERE id = NEW.case_id; RETURN NEW;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.bureau}"


class CaseEvent(AppendOnlyModel):
    """One line of a case's append-only history: who did what, when, from which state to which, and why."""

    subject_field = "case"

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
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


@track_changes()
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


@track_changes()
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


@track_changes()
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


@track_changes()
class Supervision(models.Model):
    """A period under the city's supervision (督办): a flag on the case with its own note and deadline."""

    class Reason(models.TextChoices):
        MANUAL = "manual", _("put under supervision by a city commissioner")
        OVERDUE = "overdue", _("a deadline passed")
        REOPENED = "reopened", _("reopened repeatedly")

    class Level(models.TextChoices):
        CITY = "city", _("city commissioners")
        LEADERSHIP = "leadership", _("the commission's leadership")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="supervisions"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, default=Reason.MANUAL)
    note = models.TextField(_("note"))
    # The bureau under supervision: the case's lead when it was opened (none before dispatch).
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.CITY)
    due_on = models.DateField(_("reply by"), null=True, blank=True)
    # The deadline whose passing was escalated: each deadline once.
    escalated_due_on = models.DateField(_("deadline escalated"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
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
        indexes = [
            # The sweep chases only open supervisions not replied to.
            models.Index(
                fields=["due_on"],
                condition=Q(closed_at__isnull=True, replied_at__isnull=True),
                name="supervision_awaiting_reply",
            ),
            models.Index(fields=["bureau", "opened_at"], name="supervision_bureau"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_reason_display()}"


@track_changes()
class Appeal(models.Model):
    """A bureau's appeal against a case counting in its rates (申诉核减), e.g. an unreasonable request;
    a city commissioner upholds it (the case is left out of that bureau's rates) or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        UPHELD = "upheld", _("upheld: excluded from the rates")
        REJECTED = "rejected", _("rejected")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="appeals")
    bureau = models.ForeignKey(Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=10_000)
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
    decision_note = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("appeal against inclusion in the rates")
        verbose_name_plural = _("appeals against inclusion in the rates")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "bureau"],
                condition=Q(status__in=["pending", "upheld"]),
                name="appeal_one_standing_per_case_and_bureau",
            ),
            models.CheckConstraint(
                name="appeal_status_valid", condition=Q(status__in=["pending", "upheld", "rejected"])
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="appeal_status")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.bureau} {self.status}"


@track_changes()
class CallbackAttempt(models.Model):
    """One try at calling the centre back on an answer: reached or not (无法联系)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="callback_tries"
    )
    # Which answer it confirms: the case's reopen count when it was answered.
    answer_round = models.PositiveSmallIntegerField(_("answer round"))
    reached = models.BooleanField(_("reached the centre"))
    attempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    attempted_at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["attempted_at", "id"]
        verbose_name = _("call-back try")
        verbose_name_plural = _("call-back tries")
        indexes = [models.Index(fields=["attempted_at"], name="callback_attempt_day")]

    def __str__(self) -> str:
        return f"{self.case_id} {'reached' if self.reached else 'not reached'}"
