"""Writes of policy landing: briefings (with their materials and questions), campaigns, benefits.

Each write checks who may make it and on which centres, and is recorded in the change history
(core.changes) by the database."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseSource
from cases.services import case_submit
from cases.services.notes import checked_document
from centres.models import Centre, CentreStatus
from commissioners.models import Bureau, Role, User
from core.changes import change_context
from core.history import apply_changes
from core.messages import TEXT_REQUIRED
from core.time import EARLIEST_RECORDED_DAY, local_today
from core.versioning import check_version
from policies.models import Measure

from .models import Benefit, BenefitStatus, Briefing, BriefingCampaign, BriefingMaterial, BriefingQuestion

BRIEFING_WRITERS = frozenset({Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER, Role.BUREAU_STAFF})
BENEFIT_WRITERS = BRIEFING_WRITERS

NOT_ALLOWED_TO_BRIEF = _("Only commissioners and bureau staff record briefings.")
NOT_ALLOWED_TO_ENTER_BENEFITS = _("Only commissioners and bureau staff enter benefits.")
ONLY_CITY_SETS_CAMPAIGNS = _("Only city commissioners set briefing campaigns.")
CENTRES_OUTSIDE_DISTRICT = _("A district commissioner records briefings of the district's own centres only.")
CENTRE_OUTSIDE_DISTRICT = _("A district commissioner enters benefits of the district's own centres only.")
NO_CENTRES = _("Name at least one centre that attended.")
NO_MEASURES = _("Name at least one measure the briefing covered.")
IN_THE_FUTURE = _("This day is still to come: record what has happened.")
TOO_EARLY = _("Dates before %(day)s are not accepted.")
CENTRE_NOT_AT_BRIEFING = _("This centre did not attend the briefing.")
ONLY_DISTRICTS_LOG_QUESTIONS = _("A question is logged as a case by the district commissioner of its centre.")
QUESTION_ALREADY_LOGGED = _("This question is already logged as a case.")
OTHER_BUREAUS_BENEFIT = _("Bureau staff enter and change the benefits their own bureau grants.")
DECIDED_NEEDS_DAY = _("A granted or refused benefit needs the day it was decided.")
DECIDED_BEFORE_APPLIED = _("The decision cannot come before the application.")
NOT_YET_DECIDED = _("Only a granted or refused benefit has a decision day.")
NOT_YOUR_BRIEFING = _(
    "Materials are added by those who gave the briefing (its bureau, its district or the city)."
)
CLOSED_CENTRE = _("A closed centre cannot be briefed or receive benefits.")


def _check_day(day: date | None, field: str, errors: dict) -> None:
    if day is None:
        return
    if day < EARLIEST_RECORDED_DAY:
        errors[field] = TOO_EARLY % {"day": EARLIEST_RECORDED_DAY.isoformat()}
    elif day > local_today():
        errors[field] = IN_THE_FUTURE


def _check_text(errors: dict, **fields: str) -> None:
    for field, value in fields.items():
        if not (value or "").strip():
            errors[field] = TEXT_REQUIRED


@transaction.atomic
def briefing_record(
    *,
    actor: User,
    held_on: date,
    format: str,
    title: str,
    measures: list[Measure],
    centres: list[Centre],
    notes: str = "",
    questions: list[dict] | None = None,
) -> Briefing:
    """Records a briefing given to many centres at once, with the questions they raised there
    (each `{"centre", "question", "measure"?}`). A bureau's staff record their bureau's briefing;
    a district commissioner, one of the district's own centres."""
    if actor.role not in BRIEFING_WRITERS:
        raise PermissionDenied(NOT_ALLOWED_TO_BRIEF)
    errors: dict = {}
    _check_day(held_on, "held_on", errors)
    _check_text(errors, title=title)
    if not measures:
        errors["measures"] = NO_MEASURES
    if not centres:
        errors["centres"] = NO_CENTRES
    elif actor.role == Role.DISTRICT_COMMISSIONER and any(
        c.district_id != actor.district_id for c in centres
    ):
        errors["centres"] = CENTRES_OUTSIDE_DISTRICT
    elif any(centre.status == CentreStatus.CLOSED for centre in centres):
        errors["centres"] = CLOSED_CENTRE
    attending = {centre.pk for centre in centres}
    for question in questions or []:
        if question["centre"].pk not in attending:
            errors["questions"] = CENTRE_NOT_AT_BRIEFING
        elif not (question.get("question") or "").strip():
            errors["questions"] = TEXT_REQUIRED
    if errors:
        raise ValidationError(errors)
    briefing = Briefing.objects.create(
        held_on=held_on,
        format=format,
        title=title.strip(),
        notes=notes,
        given_by=actor,
        bureau_id=actor.bureau_id if actor.role == Role.BUREAU_STAFF else None,
        district_id=actor.district_id if actor.role == Role.DISTRICT_COMMISSIONER else None,
    )
    briefing.measures.set(measures)
    briefing.centres.set(centres)
    BriefingQuestion.objects.bulk_create(
        BriefingQuestion(
            briefing=briefing,
            centre=question["centre"],
            measure=question.get("measure"),
            question=question["question"].strip(),
        )
        for question in questions or []
    )
    return briefing


def briefing_may_change(*, actor: User, briefing: Briefing) -> bool:
    """Who recorded a briefing's side adds to it: its bureau, its district, or the city (the pages
    offer the form to them only; the write checks it again)."""
    return (
        actor.role == Role.CITY_COMMISSIONER
        or (actor.role == Role.BUREAU_STAFF and briefing.bureau_id == actor.bureau_id)
        or (actor.role == Role.DISTRICT_COMMISSIONER and briefing.district_id == actor.district_id)
    )


def _may_change_briefing(actor: User, briefing: Briefing) -> None:
    if not briefing_may_change(actor=actor, briefing=briefing):
        raise PermissionDenied(NOT_YOUR_BRIEFING)


@transaction.atomic
def briefing_add_material(*, briefing: Briefing, actor: User, upload: UploadedFile) -> BriefingMaterial:
    """A document handed out at the briefing, checked as case documents are (type, size, content)."""
    _may_change_briefing(actor, briefing)
    return BriefingMaterial.objects.create(briefing=briefing, uploaded_by=actor, **checked_document(upload))


@transaction.atomic
def briefing_question_log_case(
    *, question: BriefingQuestion, actor: User, measure: Measure, title: str, description: str = ""
) -> Case:
    """A question raised at a briefing becomes a case of the centre, logged by its district's
    commissioner (`case_submit` checks the rest); the question keeps a link to it."""
    if actor.role != Role.DISTRICT_COMMISSIONER:
        raise PermissionDenied(ONLY_DISTRICTS_LOG_QUESTIONS)
    locked = BriefingQuestion.objects.select_for_update().get(pk=question.pk)
    if locked.case_id is not None:
        raise ValidationError({"question": QUESTION_ALREADY_LOGGED})
    case = case_submit(
        actor=actor,
        centre=locked.centre,
        measure=measure,
        title=title,
        description=description or locked.question,
        source=CaseSource.BRIEFING,
    )
    locked.case = case
    locked.save(update_fields=["case"])
    return case


def campaign_create(
    *, actor: User, title: str, measure: Measure, centre_type: str, starts_on: date, due_on: date
) -> BriefingCampaign:
    if actor.role != Role.CITY_COMMISSIONER:
        raise PermissionDenied(ONLY_CITY_SETS_CAMPAIGNS)
    errors: dict = {}
    _check_text(errors, title=title)
    if starts_on < EARLIEST_RECORDED_DAY:
        errors["starts_on"] = TOO_EARLY % {"day": EARLIEST_RECORDED_DAY.isoformat()}
    if due_on < starts_on:
        errors["due_on"] = _("The campaign must end on or after the day it starts.")
    if errors:
        raise ValidationError(errors)
    return BriefingCampaign.objects.create(
        title=title.strip(),
        measure=measure,
        centre_type=centre_type,
        starts_on=starts_on,
        due_on=due_on,
        created_by=actor,
    )


def benefit_rule_errors(
    *, actor: User, centre: Centre, status: str, applied_on, decided_on, granting_bureau: Bureau | None
) -> dict:
    """The rules a benefit must meet that need no query, by field: the one check of a benefit
    entered by hand, changed, or imported from a bureau's spreadsheet (`landing.imports`)."""
    errors: dict = {}
    if actor.role == Role.DISTRICT_COMMISSIONER and centre.district_id != actor.district_id:
        errors["centre"] = CENTRE_OUTSIDE_DISTRICT
    if (
        actor.role == Role.BUREAU_STAFF
        and granting_bureau is not None
        and granting_bureau.pk != actor.bureau_id
    ):
        errors["granting_bureau"] = OTHER_BUREAUS_BENEFIT
    _check_day(applied_on, "applied_on", errors)
    _check_day(decided_on, "decided_on", errors)
    decided = status in (BenefitStatus.GRANTED, BenefitStatus.REFUSED)
    if decided and decided_on is None:
        errors["decided_on"] = DECIDED_NEEDS_DAY
    if not decided and decided_on is not None:
        errors["decided_on"] = NOT_YET_DECIDED
    if applied_on and decided_on and decided_on < applied_on and "decided_on" not in errors:
        errors["decided_on"] = DECIDED_BEFORE_APPLIED
    return errors


def _check_benefit(
    *, actor: User, centre: Centre, status: str, applied_on, decided_on, granting_bureau: Bureau | None
) -> None:
    if actor.role not in BENEFIT_WRITERS:
        raise PermissionDenied(NOT_ALLOWED_TO_ENTER_BENEFITS)
    errors = benefit_rule_errors(
        actor=actor,
        centre=centre,
        status=status,
        applied_on=applied_on,
        decided_on=decided_on,
        granting_bureau=granting_bureau,
    )
    if errors:
        raise ValidationError(errors)


def benefit_record(
    *,
    actor: User,
    centre: Centre,
    measure: Measure,
    title: str,
    status: str,
    applied_on: date | None = None,
    decided_on: date | None = None,
    amount: Decimal | None = None,
    quantity: int | None = None,
    granting_bureau: Bureau | None = None,
    note: str = "",
) -> Benefit:
    """What a centre applied for or received under a measure. Bureau staff enter their own
    bureau's (it is set for them); a district commissioner, the district's own centres'."""
    if actor.role == Role.BUREAU_STAFF and granting_bureau is None:
        granting_bureau = actor.bureau
    _check_benefit(
        actor=actor,
        centre=centre,
        status=status,
        applied_on=applied_on,
        decided_on=decided_on,
        granting_bureau=granting_bureau,
    )
    errors: dict = {}
    _check_text(errors, title=title)
    if errors:
        raise ValidationError(errors)
    return Benefit.objects.create(
        centre=centre,
        measure=measure,
        title=title.strip(),
        status=status,
        applied_on=applied_on,
        decided_on=decided_on,
        amount=amount,
        quantity=quantity,
        granting_bureau=granting_bureau,
        note=note,
        entered_by=actor,
    )


@transaction.atomic
def benefit_update(
    *, benefit: Benefit, actor: User, reason: str = "", expected_version: str | None = None, **fields
) -> Benefit:
    """Moves a benefit on (applied, then granted or refused) or corrects it, under its row lock
    (a stale `expected_version` is a 412); a change that changes nothing records nothing."""
    locked = Benefit.objects.select_for_update().select_related("centre").get(pk=benefit.pk)
    check_version(locked, expected_version)
    if actor.role == Role.BUREAU_STAFF and locked.granting_bureau_id != actor.bureau_id:
        raise PermissionDenied(OTHER_BUREAUS_BENEFIT)
    merged = {
        name: fields.get(name, getattr(locked, name))
        for name in ("status", "applied_on", "decided_on", "granting_bureau")
    }
    _check_benefit(actor=actor, centre=locked.centre, **merged)
    if "title" in fields:
        errors: dict = {}
        _check_text(errors, title=fields["title"])
        if errors:
            raise ValidationError(errors)
        fields["title"] = fields["title"].strip()
    with change_context(reason=reason or None):
        if apply_changes(locked, fields):
            locked.save()
    return locked
