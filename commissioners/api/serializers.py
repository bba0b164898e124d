from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

from commissioners import notifications
from commissioners.models import (
    Bureau,
    District,
    Notification,
    NotificationDelivery,
    NotificationKind,
    User,
)


class UserNameField(serializers.CharField):
    """A user shown by full name, or by username where none is given."""

    def to_representation(self, user):
        return user.get_full_name() or user.username


class DistrictSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("The name in the language of the request."))

    class Meta:
        model = District
        fields = ["id", "code", "name", "name_zh", "name_en"]


class BureauSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("The name in the language of the request."))
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Bureau
        fields = ["id", "code", "name", "name_zh", "name_en", "level", "district"]


class CurrentUserSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    bureau = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "role", "district", "bureau", "language"]
        read_only_fields = fields


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_('Send it as "Authorization: Token <token>".'))
    expiry = serializers.DateTimeField(allow_null=True)
    user = CurrentUserSerializer()


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(
        help_text=_("The page of the case it is about; null for a summary.")
    )
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "case", "url", "params", "is_read", "created_at", "read_at"]
        read_only_fields = fields

    def _rendered(self, notification) -> tuple[str, str]:
        # Written in the language the reader asked for (Accept-Language, else their profile's).
        language = get_language() or notification.recipient.language
        return notifications.render(kind=notification.kind, params=notification.params, language=language)

    def get_title(self, notification) -> str:
        return self._rendered(notification)[0]

    def get_body(self, notification) -> str:
        return self._rendered(notification)[1]

    def get_case(self, notification) -> int | None:
        return notification.params.get("case") or None

    def get_url(self, notification) -> str | None:
        case = self.get_case(notification)
        return notifications.case_url(case) if case else None

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


UNKNOWN_KIND = _("“{input}” is not a kind of notification.")
UNKNOWN_DELIVERY = _("“{input}” is not a way of delivery: choose “immediate” or “digest”.")
KIND_TWICE = _("Each kind may be given once; “%(kind)s” is given more than once.")


class NotificationPreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=NotificationKind.choices, error_messages={"invalid_choice": UNKNOWN_KIND}
    )
    label = serializers.CharField(read_only=True, help_text=_("The kind, in the language of the request."))
    delivery = serializers.ChoiceField(
        choices=NotificationDelivery.choices,
        error_messages={"invalid_choice": UNKNOWN_DELIVERY},
        help_text=_("“immediate”: an e-mail at once; “digest”: a line in the next daily digest."),
    )


class NotificationPreferencesSerializer(serializers.Serializer):
    """How each kind of notification is e-mailed to me; the in-app inbox has every one either way."""

    preferences = NotificationPreferenceSerializer(many=True, max_length=len(NotificationKind.values))

    def validate_preferences(self, rows: list[dict]) -> list[dict]:
        seen = set()
        for row in rows:
            if row["kind"] in seen:
                raise serializers.ValidationError(KIND_TWICE % {"kind": row["kind"]})
            seen.add(row["kind"])
        return rows

    @staticmethod
    def listing(deliveries: dict[str, str]) -> dict:
        """The representation of a user's deliveries, every kind with its label."""
        return {
            "preferences": [
                {"kind": kind, "label": str(NotificationKind(kind).label), "delivery": delivery}
                for kind, delivery in deliveries.items()
            ]
        }


class NotificationPreferencesChangeSerializer(NotificationPreferencesSerializer):
    """The kinds to change; the others keep their delivery."""

    # Not DRF's partial validation: that would let each kind come without its delivery.
    preferences = NotificationPreferenceSerializer(
        many=True, required=False, max_length=len(NotificationKind.values)
    )


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=1000,
        help_text=_("The notifications to mark read; all unread ones when left out."),
    )


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()


class LoginRefusalSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["throttled", "locked_out"])
    detail = serializers.CharField(help_text=_("When to try again, in the request's language."))
    attr = serializers.CharField(allow_null=True)


class LoginRefusedResponseSerializer(serializers.Serializer):
    """Too many logins: from this client (throttled) or failed for this user name or address (locked out)."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = LoginRefusalSerializer(many=True)
