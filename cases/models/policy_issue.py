"""A policy issue (共性问题): one difficulty shared by cases of several centres, routed once to the
responsible bureaus and answered once; the answer reaches every linked case, each of which then gets
its own call-back.

It lives beside the cases because it is made of them: a case names the one policy issue it belongs
to (`Case.policy_issue`), and its answer is a move of each case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from commissioners.models import Bureau
from core.changes import track_changes, track_links
from core.history import AppendOnlyModel, append_only_triggers
from policies.models import Measure

from .case import AnswerOutcome


class PolicyIssueState(models.TextChoices):
    OPEN = "open", _("open: gathering cases")
    DISPATCHED = "dispatched", _("dispatched")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    WITHDRAWN = "withdrawn", _("withdrawn")


P = PolicyIssueState
# The states in which the issue is still worked on: cases may join or leave it.
ISSUE_OPEN_STATES = frozenset({P.OPEN, P.DISPATCHED, P.IN_PROGRESS})


@track_changes()
class PolicyIssue(FSMModelMixin, models.Model):
    State = PolicyIssueState

    title = models.CharField(pgettext_lazy("of a policy issue", "title"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000)
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="policy_issues"
    )
    # Moved only by the transitions below (through `cases.services.policy_issues`).
    state = FSMField(_("state"), max_length=20, choices=P.choices, default=P.OPEN, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    lead_bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("lead bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_policy_issues",
    )
    co_bureaus = models.ManyToManyField(
        Bureau, verbose_name=_("co-handling bureaus"), blank=True, related_name="co_handled_policy_issues"
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accept_due_on = models.DateField(_("accept by"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    answer_actions = models.TextField(_("what was done"), blank=True)
    answer_outcome = models.CharField(_("outcome"), max_length=20, choices=AnswerOutcome.choices, blank=True)
    return_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    is_supervised = models.BooleanField(_("under supervision"), default=False)
    supervision_note = models.TextField(_("supervision note"), blank=True)
    # The answer deadline whose passing was escalated: each deadline once.
    escalated_due_on = models.DateField(_("deadline escalated as overdue"), null=True, blank=True)
    closed_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("policy issue")
        verbose_name_plural = _("policy issues")
        constraints = [
            models.CheckConstraint(name="policy_issue_state_valid", condition=Q(state__in=P.values)),
            models.CheckConstraint(
                name="policy_issue_routed_has_lead",
                condition=Q(state__in=[P.OPEN, P.WITHDRAWN]) | Q(lead_bureau__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="policy_issue_state_newest"),
            models.Index(fields=["lead_bureau", "state"], name="policy_issue_lead_state"),
            # The daily sweep reads only the issues waiting on a bureau.
            models.Index(
                fields=["answer_due_on"],
                condition=Q(state__in=["dispatched", "in_progress"]),
                name="policy_issue_answer_due",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_finished(self) -> bool:
        return self.state not in ISSUE_OPEN_STATES

    # The moves that change the state; `cases.services.policy_issues` checks who, then calls them.
    @transition(field=state, source=[P.OPEN], target=P.DISPATCHED)
    def dispatch(self):
        self.dispatched_at = timezone.now()

    @transition(field=state, source=[P.DISPATCHED], target=P.IN_PROGRESS)
    def accept(self):
        self.accepted_at = timezone.now()

    @transition(field=state, source=[P.DISPATCHED], target=P.OPEN)
    def return_to_city(self):
        self.return_count += 1
        self.lead_bureau = None
        self.dispatched_at = self.accept_due_on = self.answer_due_on = None

    @transition(field=state, source=[P.IN_PROGRESS], target=P.ANSWERED)
    def answer(self):
        self.answered_at = self.closed_at = timezone.now()
        self.is_supervised = False

    @transition(field=state, source=sorted(ISSUE_OPEN_STATES), target=P.WITHDRAWN)
    def withdraw(self):
        self.closed_at = timezone.now()
        self.is_supervised = False


track_links(PolicyIssue.co_bureaus.through, app_label="cases", name="PolicyIssueCoBureauChange")


class PolicyIssueEvent(AppendOnlyModel):
    """One line of a policy issue's append-only history: its moves, and the cases joining or leaving it."""

    subject_field = "issue"

    issue = models.ForeignKey(
        PolicyIssue, verbose_name=_("policy issue"), on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
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
        verbose_name = _("policy issue event")
        verbose_name_plural = _("policy issue history")
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.issue_id} {self.action}"
