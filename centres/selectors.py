"""Reads of centres; `centre_list_visible_to` is the one answer to "which centres may this user see?"."""

from django.apps import apps
from django.db.models import QuerySet

from commissioners.models import Role, User
from commissioners.scopes import district_in_sight, sees_the_city
from core.changes import changes_referring_to

from .models import Centre, CentreImport, ContactRecord, FollowUp


def centre_list_visible_to(*, user: User) -> QuerySet[Centre]:
    centres = Centre.objects.all()
    if sees_the_city(user):
        return centres
    if district_in_sight(user) is not None:
        return centres.filter(district_id=district_in_sight(user))
    if user.role == Role.BUREAU_STAFF:
        # A case routed to the bureau grants sight of its centre (cases point at centres,
        # so this follows the reverse relation rather than importing the cases app).
        routed = Centre.objects.filter(
            cases__assignments__bureau_id=user.bureau_id, cases__assignments__is_current=True
        ).values("pk")
        return centres.filter(pk__in=routed)
    return centres.none()


# Routine contact is the commissioners' own work: bureaus do not see it.
ROLES_SEEING_CONTACT_WORK = frozenset(
    {Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER, Role.MANAGER, Role.ADMINISTRATOR}
)


def contact_record_list_visible_to(*, user: User) -> QuerySet[ContactRecord]:
    if user.role not in ROLES_SEEING_CONTACT_WORK:
        return ContactRecord.objects.none()
    return ContactRecord.objects.filter(centre__in=centre_list_visible_to(user=user))


def follow_up_list_visible_to(*, user: User) -> QuerySet[FollowUp]:
    """Follow-ups of the centres the user looks after: a district's for its commissioners, all for the city."""
    if user.role not in ROLES_SEEING_CONTACT_WORK:
        return FollowUp.objects.none()
    if district_in_sight(user) is not None:
        return FollowUp.objects.filter(centre__district_id=district_in_sight(user))
    return FollowUp.objects.all()


# Who imports centres from spreadsheets (centres.imports checks the same roles before writing).
IMPORTER_ROLES = frozenset({Role.CITY_COMMISSIONER, Role.ADMINISTRATOR})


def centre_import_list_visible_to(*, user: User) -> QuerySet[CentreImport]:
    """Importers share the registry's work: each sees every import; nobody else sees any."""
    if user.role not in IMPORTER_ROLES:
        return CentreImport.objects.none()
    return CentreImport.objects.select_related("uploaded_by", "imported_by").defer("content")


def centre_changes(*, centre: Centre, user: User):
    """The change history of a centre's record (`core.changes`) that the user may read: the centre's
    fields, research fields and contact persons for whoever sees the centre; its contacts and
    follow-ups only for those who see contact work."""
    tables = ["CentreChange", "CentreResearchFieldChange", "ContactPersonChange"]
    if user.role in ROLES_SEEING_CONTACT_WORK:
        tables += ["ContactRecordChange", "FollowUpChange"]
    return changes_referring_to(centre, tables=[apps.get_model("centres", table) for table in tables])
