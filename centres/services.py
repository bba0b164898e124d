"""The only code that writes centres: scope rules, consistency rules, one transaction."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioners.models import Role, User
from core.messages import TEXT_REQUIRED
from core.time import EARLIEST_RECORDED_DAY
from core.versioning import check_version

from .models import Centre, ContactPerson, ContactRecord, FollowUp, ResearchField
from .models.centre import validate_credit_code
from .scheduling import refresh_next_contact_due

OUTSIDE_OWN_DISTRICT = _("A district commissioner can only register and keep centres of their own district.")
RD_STAFF_ABOVE_TOTAL = _("Full-time R&D staff cannot exceed total staff.")
DUPLICATE_NAME = _("A centre with this name is already registered in this district.")
COMMISSIONER_NOT_OF_DISTRICT = _(
    "The responsible commissioner must be a district commissioner of the centre's district."
)
NOT_ALLOWED_TO_WRITE = _("Only district and city commissioners can register or change centres.")

CENTRE_FIELDS = frozenset(
    {
        "name_zh",
        "name_en",
        "parent_company",
        "parent_country",
        "district",
        "centre_type",
        "in_free_trade_zone",
        "in_lingang",
        "in_zhangjiang",
        "recognised_on",
        "full_time_rd_staff",
        "total_staff",
        "status",
        "commissioner",
        "credit_code",
        "registry_key",
    }
)
DUPLICATE_CREDIT_CODE = _("A centre with this unified social credit code is already registered.")
DUPLICATE_REGISTRY_KEY = _("A centre with this registry key is already registered.")


def centre_create(
    *,
    actor: User,
    contacts: Sequence[dict[str, Any]] = (),
    research_fields: Iterable[ResearchField] = (),
    **fields: Any,
) -> Centre:
    """Registers a centre with its contact persons and fields of research."""
    in_own_district = getattr(fields.get("district"), "pk", None) == actor.district_id
    if actor.role == Role.DISTRICT_COMMISSIONER and in_own_district and fields.get("commissioner") is None:
        fields["commissioner"] = actor
    centre = Centre(**_only_centre_fields(fields))
    _validate(centre=centre, actor=actor)
    with transaction.atomic():
        _save(centre)
        centre.research_fields.set(research_fields)
        _replace_contacts(centre=centre, contacts=contacts)
        centre.next_contact_due = _refreshed_next_contact_due(centre)
    return centre


def centre_update(
    *,
    centre: Centre,
    actor: User,
    contacts: Sequence[dict[str, Any]] | None = None,
    research_fields: Iterable[ResearchField] | None = None,
    expected_version: str | None = None,
    **fields: Any,
) -> Centre:
    """Changes the given fields; `contacts` and `research_fields`, when given, replace the old ones.
    With `expected_version`, only if the centre is still at that version (else a 412).

    The row is locked for the whole change, so two commissioners editing different
    fields at once both keep their edits.
    """
    with transaction.atomic():
        centre = Centre.objects.select_for_update().get(pk=centre.pk)
        check_version(centre, expected_version)
        if actor.role == Role.DISTRICT_COMMISSIONER and centre.district_id != actor.district_id:
            raise ValidationError({"district": OUTSIDE_OWN_DISTRICT})
        for name, value in _only_centre_fields(fields).items():
            setattr(centre, name, value)
        _validate(centre=centre, actor=actor)
        _save(centre)
        if research_fields is not None:
            centre.research_fields.set(research_fields)
        if contacts is not None:
            _replace_contacts(centre=centre, contacts=contacts)
    return centre


def _only_centre_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - CENTRE_FIELDS
    if unknown:
        raise TypeError(f"Not a centre field: {', '.join(sorted(unknown))}")
    return fields


def _validate(*, centre: Centre, actor: User) -> None:
    errors = centre_rule_errors(centre=centre, actor=actor)
    errors.update(_duplicate_name_errors(centre))
    errors.update(_duplicate_key_errors(centre))
    if errors:
        raise ValidationError(errors)


CENTRE_WRITER_ROLES = frozenset({Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER})


def centre_rule_errors(
    *, centre: Centre, actor: User, writer_roles: frozenset[str] = CENTRE_WRITER_ROLES
) -> dict[str, Any]:
    """The rules a centre must meet that need no query (the bulk import checks uniqueness set-wise).

    Normalises the credit code and registry key in place (trimmed, the code in capitals)."""
    if actor.role not in writer_roles:
        raise PermissionDenied(NOT_ALLOWED_TO_WRITE)
    centre.credit_code = (centre.credit_code or "").strip().upper()
    centre.registry_key = (centre.registry_key or "").strip()
    errors: dict[str, Any] = {}
    if actor.role == Role.DISTRICT_COMMISSIONER and centre.district_id != actor.district_id:
        errors["district"] = OUTSIDE_OWN_DISTRICT
    if centre.full_time_rd_staff > centre.total_staff:
        errors["full_time_rd_staff"] = RD_STAFF_ABOVE_TOTAL
    commissioner = centre.commissioner
    if commissioner is not None and (
        commissioner.role != Role.DISTRICT_COMMISSIONER or commissioner.district_id != centre.district_id
    ):
        errors["commissioner"] = COMMISSIONER_NOT_OF_DISTRICT
    if centre.credit_code:
        try:
            validate_credit_code(centre.credit_code)
        except ValidationError as error:
            errors["credit_code"] = error.messages[0]
    return errors


def _duplicate_key_errors(centre: Centre) -> dict[str, Any]:
    others = Centre.objects.exclude(pk=centre.pk)
    errors = {}
    if centre.credit_code and others.filter(credit_code=centre.credit_code).exists():
        errors["credit_code"] = DUPLICATE_CREDIT_CODE
    if centre.registry_key and others.filter(registry_key=centre.registry_key).exists():
        errors["registry_key"] = DUPLICATE_REGISTRY_KEY
    return errors


def _duplicate_name_errors(centre: Centre) -> dict[str, Any]:
    same_district = Centre.objects.filter(district_id=centre.district_id).exclude(pk=centre.pk)
    errors = {}
    for field in ("name_zh", "name_en"):
        if (
            same_district.annotate(lowered=Lower(field))
            .filter(lowered=getattr(centre, field).lower())
            .exists()
        ):
            errors[field] = DUPLICATE_NAME
    return errors


def _save(centre: Centre) -> None:
    # Two requests registering the same name at once both pass the check above;
    # the unique constraint turns the second into the same validation error.
    try:
        with transaction.atomic():
            centre.save()
    except IntegrityError as error:
        if "centre_unique_credit_code" in str(error):
            raise ValidationError({"credit_code": DUPLICATE_CREDIT_CODE}) from error
        if "centre_unique_registry_key" in str(error):
            raise ValidationError({"registry_key": DUPLICATE_REGISTRY_KEY}) from error
        if "centre_unique_name" in str(error):
            field = "name_en" if "name_en" in str(error) else "name_zh"
            raise ValidationError({field: DUPLICATE_NAME}) from error
        raise


def _refreshed_next_contact_due(centre: Centre):
    one = Centre.objects.filter(pk=centre.pk)
    refresh_next_contact_due(one)
    return one.values_list("next_contact_due", flat=True).get()


def _replace_contacts(*, centre: Centre, contacts: Sequence[dict[str, Any]]) -> None:
    centre.contacts.all().delete()
    ContactPerson.objects.bulk_create(
        ContactPerson(centre=centre, order=order, **contact) for order, contact in enumerate(contacts)
    )


# --- Routine contact -------------------------------------------------------------

CONTACT_IN_THE_FUTURE = _("A contact cannot be recorded for a future date.")
CONTACT_BEFORE_RECORDS = _("A contact cannot be recorded before %(day)s.")
CONTACT_OUTSIDE_OWN_DISTRICT = _(
    "A district commissioner records contacts with centres of their own district."
)
NOT_ALLOWED_TO_RECORD_CONTACT = _(
    "Only the centre's district commissioners and city commissioners record contacts."
)


def contact_record_create(
    *,
    actor: User,
    centre: Centre,
    kind: str,
    contacted_on: date,
    participants: str,
    summary: str,
) -> ContactRecord:
    """Records a contact with a centre; it closes the centre's open contact follow-up."""
    if actor.role not in (Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER):
        raise PermissionDenied(NOT_ALLOWED_TO_RECORD_CONTACT)
    errors = {}
    if actor.role == Role.DISTRICT_COMMISSIONER and centre.district_id != actor.district_id:
        errors["centre"] = CONTACT_OUTSIDE_OWN_DISTRICT
    if contacted_on > timezone.localdate():
        errors["contacted_on"] = CONTACT_IN_THE_FUTURE
    elif contacted_on < EARLIEST_RECORDED_DAY:
        errors["contacted_on"] = CONTACT_BEFORE_RECORDS % {"day": EARLIEST_RECORDED_DAY.isoformat()}
    for name, value in (("participants", participants), ("summary", summary)):
        if not (value or "").strip():
            errors[name] = TEXT_REQUIRED
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Centre.objects.select_for_update().get(pk=centre.pk)
        record = ContactRecord.objects.create(
            centre=locked,
            kind=kind,
            contacted_on=contacted_on,
            participants=participants.strip(),
            summary=summary.strip(),
            recorded_by=actor,
        )
        # Only the latest contact settles the follow-up: an old visit entered late does not.
        if locked.last_contacted_on is None or contacted_on >= locked.last_contacted_on:
            locked.last_contacted_on = contacted_on
            locked.save(update_fields=["last_contacted_on", "updated_at"])
            centre.next_contact_due = _refreshed_next_contact_due(locked)
            FollowUp.objects.filter(centre=locked, kind=FollowUp.Kind.CONTACT, closed_at__isnull=True).update(
                closed_at=timezone.now(), closed_by=actor, contact_record=record
            )
    return record
