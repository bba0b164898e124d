"""The demo's past contacts with the centres, and the guidance classes the contact intervals
go by until the past cycle's reviews set them."""

from datetime import timedelta

from django.utils import timezone

from centres.models import Centre, ContactRecord, GuidanceClass
from centres.scheduling import refresh_next_contact_due
from centres.services import contact_record_create
from commissioners.models import User
from demo.data.cases import CONTACT_NOTES, CONTACTS_DAYS_AGO, GUIDANCE_CLASSES


def seed_contacts() -> int:
    """Past contacts through the real service, by the centre's commissioner (or the city's
    where the district has none); centres with contacts already are left alone."""
    city = User.objects.get(username="city")
    today = timezone.localdate()
    for guidance_class, names in GUIDANCE_CLASSES.items():
        Centre.objects.filter(name_en__in=names, guidance_class=GuidanceClass.UNCLASSIFIED).update(
            guidance_class=guidance_class
        )
    refresh_next_contact_due(Centre.objects.all())
    centres = Centre.objects.filter(name_en__in=CONTACTS_DAYS_AGO).select_related("commissioner")
    contacted = set(ContactRecord.objects.values_list("centre_id", flat=True).distinct())
    created = 0
    for index, centre in enumerate(sorted(centres, key=lambda c: c.name_en)):
        if centre.pk in contacted:
            continue
        for order, days_ago in enumerate(sorted(CONTACTS_DAYS_AGO[centre.name_en], reverse=True)):
            kind, participants, summary = CONTACT_NOTES[(index * 3 + order) % len(CONTACT_NOTES)]
            contact_record_create(
                actor=centre.commissioner or city,
                centre=centre,
                kind=kind,
                contacted_on=today - timedelta(days=days_ago),
                participants=participants,
                summary=summary,
            )
            created += 1
    return created
