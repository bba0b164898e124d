"""Each user's choice, per kind of notification, of how it is e-mailed: at once, or as a line of the
next daily digest. A kind the user never chose goes at once. The in-app inbox has every
notification either way."""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Exists, OuterRef

from .models import NotificationDelivery, NotificationKind, NotificationPreference, User

DEFAULT_DELIVERY = NotificationDelivery.IMMEDIATE


def wants_digest() -> Exists:
    """On a notification query: the recipient has the notification's kind in the daily digest."""
    return Exists(
        NotificationPreference.objects.filter(
            user_id=OuterRef("recipient_id"), kind=OuterRef("kind"), delivery=NotificationDelivery.DIGEST
        )
    )


def notification_preferences_of(*, user: User) -> dict[str, str]:
    """Every kind of notification, in the catalogue's order, with how `user` has it delivered."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in NotificationKind.values}


@transaction.atomic
def notification_preferences_set(
    *, user: User, deliveries: Mapping[str, str], replace: bool = False
) -> dict[str, str]:
    """Stores `user`'s delivery of the given kinds; with `replace`, every kind not given goes back to the
    default. Returns all of the user's preferences."""
    if replace:
        NotificationPreference.objects.filter(user=user).exclude(kind__in=list(deliveries)).delete()
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=kind, delivery=delivery)
            for kind, delivery in deliveries.items()
        ],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["delivery"],
    )
    return notification_preferences_of(user=user)


def user_language_set(*, user: User, language: str) -> bool:
    """The language the user's notifications and e-mails speak; False for one the product lacks."""
    if language not in dict(User._meta.get_field("language").choices):
        return False
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
    return True
