from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_logged_in
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from commissioners import notifications, preferences
from commissioners.authentication import delete_expired_tokens
from commissioners.models import Bureau, District, Notification, User
from commissioners.permissions import ALL_ROLES, roles_allowed
from core.filters import StrictBooleanFilter, StrictFilterSet
from core.openapi import CsrfFailedResponseSerializer

from .serializers import (
    BureauSerializer,
    CredentialsSerializer,
    CurrentUserSerializer,
    DistrictSerializer,
    LoginRefusedResponseSerializer,
    MarkedReadSerializer,
    MarkReadSerializer,
    NotificationPreferencesChangeSerializer,
    NotificationPreferencesSerializer,
    NotificationSerializer,
    TokenSerializer,
    UnreadCountSerializer,
)


class NotificationFilter(StrictFilterSet):
    unread = StrictBooleanFilter(field_name="read_at", lookup_expr="isnull", label="Unread")

    class Meta:
        model = Notification
        fields = ["kind"]


INVALID_CREDENTIALS = _("The username or password is not correct.")


def _authenticate(request) -> User:
    serializer = CredentialsSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    # The Django request, not DRF's wrapper: the lockout (django-axes) marks it for its middleware.
    user = authenticate(request._request, **serializer.validated_data)
    if user is None or not user.role:
        # A 400 like DRF's own token view: there is no authentication to challenge yet.
        raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [INVALID_CREDENTIALS]})
    return user


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """Shanghai's sixteen districts."""

    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    permission_classes = [roles_allowed()]
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["order", "code"]


class BureauViewSet(viewsets.ReadOnlyModelViewSet):
    """Responsible units: city bureaus, district governments and national departments."""

    queryset = Bureau.objects.select_related("district")
    serializer_class = BureauSerializer
    permission_classes = [roles_allowed()]
    filterset_fields = {"level": ["exact"], "district__code": ["exact"]}
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["code", "level"]


@method_decorator(ensure_csrf_cookie, name="dispatch")
@method_decorator(csrf_protect, name="post")
class SessionLoginView(APIView):
    """Browser login: starts a session. GET sets the `csrftoken` cookie; POST sends it back as
    `X-CSRFToken`, so that no other site can log a browser in (login CSRF)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "login"
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]

    @extend_schema(request=None, responses={204: None})
    def get(self, request):
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=CredentialsSerializer,
        responses={
            200: CurrentUserSerializer,
            403: CsrfFailedResponseSerializer,
            429: LoginRefusedResponseSerializer,
        },
    )
    def post(self, request):
        user = _authenticate(request)
        login(request, user)
        return Response(CurrentUserSerializer(user).data)


class SessionLogoutView(APIView):
    """Ends the browser session."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLoginView(APIView):
    """API clients: exchange a username and password for an expiring token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "login"
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]

    @extend_schema(
        request=CredentialsSerializer, responses={201: TokenSerializer, 429: LoginRefusedResponseSerializer}
    )
    def post(self, request):
        user = _authenticate(request)
        delete_expired_tokens(user=user)
        instance, token = AuthToken.objects.create(user)
        # As a session login does: the last login is kept and the failed-login count is cleared.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        data = {"token": token, "expiry": instance.expiry, "user": user}
        return Response(TokenSerializer(data).data, status=status.HTTP_201_CREATED)


class TokenLogoutView(APIView):
    """Revokes the token the request was made with."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class CurrentUserView(APIView):
    """Who the request is authenticated as, with their role and scope."""

    permission_classes = [roles_allowed()]

    @extend_schema(responses={200: CurrentUserSerializer})
    def get(self, request):
        return Response(CurrentUserSerializer(request.user).data)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """My in-app notifications, newest first; nobody sees anyone else's."""

    queryset = Notification.objects.none()  # the real one is the user's own: see get_queryset
    serializer_class = NotificationSerializer
    permission_classes = [roles_allowed(read=ALL_ROLES, write=ALL_ROLES)]
    filterset_class = NotificationFilter

    def get_queryset(self):
        return notifications.notifications_of(user=self.request.user).select_related("recipient")

    @extend_schema(responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count", pagination_class=None, filter_backends=[])
    def unread_count(self, request):
        """How many of my notifications are unread."""
        return Response({"unread": notifications.unread_count(user=request.user)})

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = self.get_object()
        notifications.notification_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=MarkReadSerializer, responses={200: MarkedReadSerializer})
    @action(detail=False, methods=["post"], url_path="mark-read", pagination_class=None, filter_backends=[])
    def mark_read(self, request):
        """Mark the given notifications read, or all unread ones."""
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = notifications.notification_mark_read(
            user=request.user, ids=serializer.validated_data.get("ids")
        )
        return Response({"marked_read": marked})


class NotificationPreferencesView(APIView):
    """How I want each kind of notification e-mailed: at once ("immediate", the default) or as a line of
    the next daily digest ("digest"). PUT gives the whole set (a kind left out goes back to
    "immediate"); PATCH changes only the kinds it gives."""

    permission_classes = [roles_allowed(read=ALL_ROLES, write=ALL_ROLES)]

    @extend_schema(tags=["notifications"], responses={200: NotificationPreferencesSerializer})
    def get(self, request):
        deliveries = preferences.notification_preferences_of(user=request.user)
        return Response(NotificationPreferencesSerializer.listing(deliveries))

    @extend_schema(
        tags=["notifications"],
        request=NotificationPreferencesSerializer,
        responses={200: NotificationPreferencesSerializer},
    )
    def put(self, request):
        return self._save(request, replace=True)

    @extend_schema(
        tags=["notifications"],
        request=NotificationPreferencesChangeSerializer,
        responses={200: NotificationPreferencesSerializer},
    )
    def patch(self, request):
        return self._save(request, replace=False)

    def _save(self, request, *, replace: bool) -> Response:
        serializer_class = (
            NotificationPreferencesSerializer if replace else NotificationPreferencesChangeSerializer
        )
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = serializer.validated_data.get("preferences", [])
        deliveries = preferences.notification_preferences_set(
            user=request.user,
            deliveries={row["kind"]: row["delivery"] for row in rows},
            replace=replace,
        )
        return Response(NotificationPreferencesSerializer.listing(deliveries))
