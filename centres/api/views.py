from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from centres import imports
from centres.models import Centre, CentreImport, ContactRecord, FollowUp, ResearchField
from centres.selectors import (
    IMPORTER_ROLES,
    ROLES_SEEING_CONTACT_WORK,
    centre_changes,
    centre_import_list_visible_to,
    centre_list_visible_to,
    contact_record_list_visible_to,
    follow_up_list_visible_to,
)
from centres.services import centre_create, centre_update, contact_record_create
from commissioners.idempotency import IDEMPOTENCY_KEY, idempotent
from commissioners.models import Role
from commissioners.permissions import roles_allowed
from core.errors import Conflict
from core.openapi import (
    ErrorResponse409Serializer,
    ErrorResponse412Serializer,
    ErrorResponse413Serializer,
    ErrorResponse422Serializer,
)
from core.serializers import ChangeSerializer, paginated_changes
from core.versioning import IF_MATCH, expected_version, with_version

from .filters import CentreFilter, FollowUpFilter
from .serializers import (
    CentreImportSerializer,
    CentreImportUploadSerializer,
    CentreSerializer,
    ContactRecordSerializer,
    FollowUpSerializer,
    ResearchFieldSerializer,
)

CENTRE_WRITERS = {Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER}


class ResearchFieldViewSet(viewsets.ReadOnlyModelViewSet):
    """Fields of research a centre can report."""

    queryset = ResearchField.objects.all()
    serializer_class = ResearchFieldSerializer
    permission_classes = [roles_allowed()]
    search_fields = ["code", "name_zh", "name_en"]


class CentreViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Foreign-invested R&D centres, as far as the user's role and district let them see.

    Listed in registration order unless `ordering` says otherwise: the id and the next contact due
    are indexed, so any page of 50,000 centres is read by index; a sort by name reads them all."""

    queryset = Centre.objects.none()  # the real one depends on the user: see get_queryset
    serializer_class = CentreSerializer
    permission_classes = [roles_allowed(write=CENTRE_WRITERS)]
    filterset_class = CentreFilter
    search_fields = ["name_zh", "name_en", "parent_company"]
    ordering = ["id"]
    ordering_fields = [
        "id",
        "name_zh",
        "name_en",
        "recognised_on",
        "full_time_rd_staff",
        "total_staff",
        "created_at",
        "last_contacted_on",
        "next_contact_due",
    ]

    def get_queryset(self):
        return (
            centre_list_visible_to(user=self.request.user)
            .select_related("district")
            .prefetch_related("research_fields", "contacts")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        centre = centre_create(actor=request.user, **serializer.validated_data)
        return self._read(centre, status_code=status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        centre = self.get_object()
        return with_version(Response(self.get_serializer(centre).data), centre)

    @extend_schema(parameters=[IF_MATCH], responses={200: CentreSerializer, 412: ErrorResponse412Serializer})
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        centre = centre_update(
            centre=serializer.instance,
            actor=request.user,
            expected_version=expected_version(request),
            **serializer.validated_data,
        )
        return self._read(centre)

    @extend_schema(parameters=[IF_MATCH], responses={200: CentreSerializer, 412: ErrorResponse412Serializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(responses={200: ChangeSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, ordering_fields=[], search_fields=[])
    def history(self, request, *args, **kwargs):
        """Every change of the centre's record, newest first: its fields, fields of research and
        contact persons, and (for those who see contact work) its contacts and follow-ups, each
        with the old and new values, who made it and why."""
        return paginated_changes(self, centre_changes(centre=self.get_object(), user=request.user))

    def _read(self, centre, status_code: int = status.HTTP_200_OK) -> Response:
        """The centre as it is now, with its version (ETag)."""
        current = self.get_queryset().get(pk=centre.pk)
        return with_version(Response(self.get_serializer(current).data, status=status_code), current)


class ContactRecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Routine contacts with centres (visits, calls, meetings, policy briefings)."""

    queryset = ContactRecord.objects.none()  # the real one depends on the user
    serializer_class = ContactRecordSerializer
    permission_classes = [roles_allowed(read=ROLES_SEEING_CONTACT_WORK, write=CENTRE_WRITERS)]
    filterset_fields = ["centre", "kind"]
    ordering_fields = ["contacted_on", "created_at"]

    def get_queryset(self):
        return (
            contact_record_list_visible_to(user=self.request.user)
            .select_related("centre")
            .prefetch_related("cases_raised")
        )

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ContactRecordSerializer, 422: ErrorResponse422Serializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = contact_record_create(actor=request.user, **serializer.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=status.HTTP_201_CREATED
        )


class FollowUpViewSet(viewsets.ReadOnlyModelViewSet):
    """What the commissioners must do by a date: routine contacts and call-backs."""

    queryset = FollowUp.objects.none()  # the real one depends on the user
    serializer_class = FollowUpSerializer
    permission_classes = [roles_allowed(read=ROLES_SEEING_CONTACT_WORK)]
    filterset_class = FollowUpFilter
    ordering_fields = ["due_on", "opened_at"]

    def get_queryset(self):
        return (
            follow_up_list_visible_to(user=self.request.user)
            .select_related("centre")
            .order_by("due_on", "id")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class CentreImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Spreadsheets of centres: upload one for its dry run (nothing is written), then `apply` it.

    The same two steps as the import page (docs/centre-import.md), for city commissioners and
    administrators."""

    queryset = CentreImport.objects.none()  # the real one depends on the user
    serializer_class = CentreImportSerializer
    permission_classes = [roles_allowed(read=IMPORTER_ROLES, write=IMPORTER_ROLES)]
    filter_backends = []
    # An upload is multipart only; a JSON body is a 415.
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return centre_import_list_visible_to(user=self.request.user)

    @extend_schema(
        request=CentreImportUploadSerializer,
        responses={201: CentreImportSerializer, 413: ErrorResponse413Serializer},
    )
    def create(self, request, *args, **kwargs):
        """The dry run: reads and checks every row; `state` says whether the file may be applied."""
        upload = CentreImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        centre_import = imports.centre_import_upload(actor=request.user, upload=upload.validated_data["file"])
        return Response(self.get_serializer(centre_import).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CentreImportSerializer, 409: ErrorResponse409Serializer})
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Writes a checked import, every row or none; refused (409) if already written, refused by
        its dry run, or no longer passing against the registry as it is now."""
        try:
            centre_import = imports.centre_import_apply(actor=request.user, centre_import=self.get_object())
        except ValidationError as error:
            raise Conflict(error.messages[0]) from error
        return Response(self.get_serializer(centre_import).data)
