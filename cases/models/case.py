"""A centre's difficulty as a case: its kinds and states, and the state machine on the case itself."""

from typing import TYPE_CHECKING

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Case as Conditional
from django.db.models import F, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from cases import rules
from centres.models import Centre, ContactRecord
from commissioners.models import Bureau, District
from core.changes import track_changes
from policies.models import Measure

if TYPE_CHECKING:
    from .handling import Assignment


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
    BRIEFING = "briefing", _("a question at a policy briefing")
    OTHER = "other", _("other")


class AnswerOutcome(models.TextChoices):
    SOLVED = "solved", _("solved")
    EXPLAINED = "explained", _("explained")
    # A national department's outcome of a referral, confirmed with the centre like a bureau's answer.
    REFERRED = "referred", _("outcome of a referral upward")


# What a bureau answers with: a referral's outcome is recorded by the city.
BUREAU_ANSWER_OUTCOMES = [
    (value, label) for value, label in AnswerOutcome.choices if value != AnswerOutcome.REFERRED
]


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
    UNSATISFIED = "unsatisfied", _("unsatisfied")


def _move(move: str, *, target: str) -> dict:
    """A django-fsm transition of a move of the rule table: its source states and its permission are
    the rule table's (`cases.rules.MOVES`), so the two cannot disagree."""
    return {
        "source": sorted(rules.MOVES[move].states),
        "target": target,
        "permission": lambda case, user: rules.actor_may(move, case, user),
        "custom": {"move": move},
    }


S = CaseState


@track_changes()
class Case(FSMModelMixin, models.Model):
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
    title = models.CharField(pgettext_lazy("of a case", "title"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    source = models.CharField(
        _("source"), max_length=20, choices=CaseSource.choices, default=CaseSource.VISIT
    )
    # Moved only by the transitions below (through `cases.services`): assigning it directly is an error.
    state = FSMField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.SUBMITTED, protected=True
    )
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

    # The city's triage clock: from logging (or a return) to dispatch.
    triage_due_on = models.DateField(_("dispatch by"), null=True, blank=True)
    triage_escalated_on = models.DateField(_("triage deadline escalated"), null=True, blank=True)
    # A bureau returned the case as misrouted and a city commissioner has not ruled on it yet (退单审核).
    return_pending = models.BooleanField(_("return awaiting a ruling"), default=False)

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
    # Per co-handling bureau (code), whether the answer had its contribution or its deadline had passed.
    answer_contributions = models.JSONField(_("contributions to the answer"), default=dict, blank=True)

    callback_at = models.DateTimeField(_("call-back at"), null=True, blank=True)
    callback_resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    callback_satisfaction = models.CharField(
        _("satisfaction"), max_length=30, choices=Satisfaction.choices, blank=True
    )
    callback_note = models.TextField(_("call-back note"), blank=True)
    # Tries that could not reach the centre since the latest answer.
    callback_attempts = models.PositiveSmallIntegerField(_("call-back tries not reached"), default=0)
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
    referral_due_on = models.DateField(_("follow up the referral by"), null=True, blank=True)
    referral_escalated_on = models.DateField(_("referral deadline escalated"), null=True, blank=True)
    # An appeal of the lead bureau was upheld (申诉核减): the case is left out of its rates.
    excluded_from_rates = models.BooleanField(_("excluded from the lead bureau's rates"), default=False)

    is_supervised = models.BooleanField(_("under supervision"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        help_text=_("A duplicate of the same centre's case is withdrawn into it; both histories stay."),
    )
    # The one policy issue (共性问题) the case belongs to now; its answer becomes the case's.
    policy_issue = models.ForeignKey(
        "cases.PolicyIssue",
        verbose_name=_("policy issue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )

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
            # The sweeps of the city's own clocks read only the cases waiting on them.
            models.Index(fields=["triage_due_on"], condition=Q(state="submitted"), name="case_triage_due"),
            models.Index(
                fields=["referral_due_on"], condition=Q(state="referred_up"), name="case_referral_due"
            ),
            models.Index(fields=["created_at"], condition=Q(excluded_from_rates=True), name="case_excluded"),
        ]
        triggers = [
            # What the bureau inbox and bureau visibility read from the case, copied onto its
            # assignments by the database in the statement that changes it, whoever writes it (a
            # move, a sweep's bulk update, the admin): one round trip fewer per move, and never a
            # copy out of step. The embedded SQLite of a demo copies it in Python
            # (`cases.services._base.sync_assignments`).
            pgtrigger.Trigger(
                name="sync_assignments",
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("state", "is_confidential", "answer_due_on"),
                func=(
                    "UPDATE cases_assignment SET case_state = NEW.state, "
                    "case_is_confidential = NEW.is_confidential, case_answer_due_on = NEW.answer_due_on "
                    "WHERE case_id = NEW.id; RETURN NULL;"
                ),
            ),
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
    @transition(field=state, **_move("withdraw", target=S.WITHDRAWN))
    def withdraw(self):
        self.closed_at = timezone.now()

    @transition(field=state, **_move("dispatch", target=S.DISPATCHED))
    def dispatch(self):
        self.dispatched_at = timezone.now()

    @transition(field=state, **_move("accept", target=S.IN_PROGRESS))
    def accept(self):
        self.accepted_at = timezone.now()

    @transition(field=state, **_move("return", target=S.SUBMITTED))
    def return_to_triage(self):
        self.return_count += 1
        self.return_pending = True
        self.lead_bureau = None
        self.dispatched_at = self.accept_due_on = self.answer_due_on = self.answer_due_original = None

    @transition(field=state, **_move("rule_return", target=S.SUBMITTED))
    def uphold_return(self):
        self.return_pending = False

    @transition(field=state, **_move("rule_return", target=S.DISPATCHED))
    def reject_return(self):
        """Back to the bureau that returned it, on the deadlines it had (the clock ran on)."""
        self.return_pending = False

    @transition(field=state, **_move("answer", target=S.ANSWERED))
    def answer(self):
        self.answered_at = timezone.now()

    @transition(field=state, **_move("callback", target=S.CLOSED))
    def close_after_callback(self):
        self.callback_at = self.closed_at = timezone.now()

    @transition(field=state, **_move("callback", target=S.IN_PROGRESS))
    def reopen(self):
        self.callback_at = timezone.now()
        self.reopen_count += 1

    @transition(field=state, **_move("refer_up", target=S.REFERRED_UP))
    def refer_up(self):
        self.referred_at = timezone.now()

    @transition(field=state, **_move("callback", target=S.REFERRED_UP))
    def reopen_referral(self):
        """The centre is not satisfied with a referral's outcome: the city follows it up again."""
        self.callback_at = timezone.now()
        self.reopen_count += 1

    @transition(field=state, **_move("record_referral_outcome", target=S.ANSWERED))
    def answer_from_referral(self):
        self.answered_at = timezone.now()

    @transition(field=state, **_move("answer_from_policy_issue", target=S.ANSWERED))
    def answer_from_policy_issue(self):
        """The policy issue the case belongs to was answered: its answer is the case's."""
        self.answered_at = timezone.now()
        if self.accepted_at is None:
            # Answering is the bureau's response too.
            self.accepted_at = self.answered_at
