"""Entering an assessment from its page: what the form sends is saved and submitted in one go."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from assessments.models import Assessment
from assessments.services.workflow import assessment_submit, assessment_update
from commissioners.models import User


@transaction.atomic
def assessment_fill_in_and_submit(
    *,
    assessment: Assessment,
    actor: User,
    problems: Sequence[dict[str, Any]] | None = None,
    expected_version: str | None = None,
    **fields: Any,
) -> Assessment:
    """Saves what the form sent and submits it; when the submission is refused (an indicator
    missing, say), neither is kept: the form shows what was wrong over what was sent."""
    updated = assessment_update(
        assessment=assessment,
        actor=actor,
        problems=problems,
        expected_version=expected_version,
        **fields,
    )
    return assessment_submit(assessment=updated, actor=actor)
