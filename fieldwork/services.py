"""Writes of the field work, each through the apps' own services in one transaction: a contact
with the difficulties it raised logged as cases, a case logged with its documents."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext, override

from cases.models import Case, CaseSource
from cases.services import case_add_attachment, case_submit
from centres.models import Centre, ContactKind, ContactRecord
from centres.services import contact_record_create
from commissioners.models import User
from policies.models import Measure

# The source a case gets from the contact that raised it.
SOURCE_OF_CONTACT = {
    ContactKind.VISIT: CaseSource.VISIT,
    ContactKind.CALL: CaseSource.CALL,
    ContactKind.MEETING: CaseSource.MEETING,
    ContactKind.POLICY_BRIEFING: CaseSource.MEETING,
}


@dataclass(frozen=True)
class Difficulty:
    """A difficulty the centre raised in a contact; logged as a case when `log_as_case`."""

    title: str
    description: str = ""
    measure: Measure | None = None
    urgency: str = "normal"
    log_as_case: bool = False


class DifficultyError(ValidationError):
    """A difficulty that could not become a case: which one (0-based) and why."""

    def __init__(self, index: int, error: ValidationError):
        super().__init__(error.message_dict if hasattr(error, "error_dict") else {"title": error.messages})
        self.index = index


def contact_record_with_cases(
    *,
    actor: User,
    centre: Centre,
    kind: str,
    contacted_on: date,
    participants: str,
    summary: str,
    difficulties: Sequence[Difficulty] = (),
) -> tuple[ContactRecord, list[Case]]:
    """Records a contact; each difficulty to be logged becomes a case raised by it, the others are
    kept in the contact's summary. All or nothing: one difficulty refused writes none of it."""
    kept = [d for d in difficulties if not d.log_as_case and d.title.strip()]
    if kept:
        with override(actor.language or None):
            heading = gettext("Difficulties raised")
        summary = "\n".join([summary.rstrip(), "", f"{heading}:", *(_line(d) for d in kept)])
    with transaction.atomic():
        record = contact_record_create(
            actor=actor,
            centre=centre,
            kind=kind,
            contacted_on=contacted_on,
            participants=participants,
            summary=summary,
        )
        cases = []
        for index, difficulty in enumerate(difficulties):
            if not difficulty.log_as_case:
                continue
            try:
                if difficulty.measure is None:
                    raise ValidationError(
                        {"measure": gettext("Choose the measure the difficulty falls under.")}
                    )
                cases.append(
                    case_submit(
                        actor=actor,
                        centre=centre,
                        measure=difficulty.measure,
                        title=difficulty.title,
                        description=difficulty.description,
                        urgency=difficulty.urgency,
                        source=SOURCE_OF_CONTACT.get(kind, CaseSource.OTHER),
                        contact_record=record,
                    )
                )
            except ValidationError as error:
                raise DifficultyError(index, error) from error
    return record, cases


def _line(difficulty: Difficulty) -> str:
    text = f"- {difficulty.title.strip()}"
    if difficulty.description.strip():
        text += f": {difficulty.description.strip()}"
    return text


def case_log_with_documents(
    *, actor: User, documents: Sequence[UploadedFile] = (), **case_fields: Any
) -> Case:
    """Logs a case (`case_submit`, whose fields it takes) and attaches its documents: a refused
    document logs nothing."""
    with transaction.atomic():
        case = case_submit(actor=actor, **case_fields)
        for document in documents:
            case_add_attachment(case=case, uploaded_by=actor, upload=document)
    return case
