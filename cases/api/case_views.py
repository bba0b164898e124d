"""The case API: list, detail, log, edit, one POST per move, comments, attachments, the inbox."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cases import selectors, services
from cases.models import Case
from commissioners.idempotency import IDEMPOTENCY_KEY, idempotent
from commissioners.models import Role
from commissioners.permissions import ALL_ROLES, roles_allowed
from core.openapi import ErrorResponse409Serializer, ErrorResponse412Serializer, ErrorResponse422Serializer
from core.serializers import ChangeSerializer, paginated_changes
from core.time import local_today
from core.versioning import IF_MATCH, expected_version, with_version

from . import case_serializers as s
from .filters import CaseFilter
from .moves import MOVE_ENDPOINTS, move_action

PAGING = {"page", "page_size"}
CASE_WORKERS = {Role.DISTRICT_COMMISSIONER, Role.CITY_COMMISSIONER, Role.BUREAU_STAFF}


def _move(
    name: str,
    service,
    input_serializer=None,
    summary: str = "",
    url_path: str | None = None,
    locks_subject: bool = True,
):
    """One POST endpoint for one move, answering with the case."""
    return move_action(
        name,
        service,
        input_serializer,
        summary,
        subject="case",
        answer=s.CaseDetailSerializer,
        url_path=url_path,
        locks_subject=locks_subject,
    )


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases as far as the user may see them; a case outside the user's sight is a 404."""

    queryset = Case.objects.none()  # the real one depends on the user: see get_queryset
    permission_classes = [roles_allowed(read=ALL_ROLES, write=CASE_WORKERS)]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = CaseFilter
    search_fields = ["title", "description"]
    ordering_fields = ["created_at", "updated_at", "answer_due_on", "accept_due_on", "state"]

    def get_queryset(self):
        return selectors.case_list_visible_to(user=self.request.user)

    def filter_queryset(self, queryset):
        # Filters, search and ordering are the list's: a case named by its id (its detail, a move,
        # an edit) is found by its id and the user's sight alone, without building a filter set.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        if self.action == "list":
            return s.CaseListSerializer
        if self.action == "create":
            return s.CaseCreateSerializer
        if self.action == "partial_update":
            return s.CaseEditSerializer
        return s.CaseDetailSerializer

    @contextmanager
    def locked_for_move(self) -> Iterator[Case]:
        """The case in the user's sight (else a 404), locked and read as its move reads it, held
        for the move until the block ends: found and locked in one query."""
        with transaction.atomic():
            case = self.visible_case(services.visible_case_for_move)
            self.check_object_permissions(self.request, case)
            with services.held_for_move(case):
                yield case

    def visible_case(self, read) -> Case:
        """The case the URL names, read by `read(user=..., pk=...)` if the user may see it; a 404
        otherwise, as for a case that is not there."""
        pk = selectors.case_pk(self.kwargs["pk"])
        case = None if pk is None else read(user=self.request.user, pk=pk)
        if case is None:
            raise Http404
        return case

    def detail_response(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        # Read back without the visibility filter: the user just acted on this case
        # (a returning bureau, for one, no longer sees it afterwards).
        case = selectors.case_detail(user=self.request.user, pk=pk, visible_only=False)
        return with_version(
            Response(
                s.CaseDetailSerializer(case, context=self.get_serializer_context()).data, status=status_code
            ),
            case,
        )

    def retrieve(self, request, *args, **kwargs):
        """The case with its assignments, deadlines, history and the moves open to the user; its
        `ETag` is the version to send back as `If-Match` with an edit."""
        case = self.visible_case(selectors.case_detail)
        self.check_object_permissions(request, case)
        return with_version(Response(self.get_serializer(case).data), case)

    def list(self, request, *args, **kwargs):
        if request.user.role == Role.BUREAU_STAFF and not set(request.query_params) - PAGING:
            # A bureau's whole list: counted from its assignments alone, the cases only for the page.
            ids = self.paginate_queryset(selectors.bureau_case_ids(user=request.user))
        else:
            ids = self.paginate_queryset(
                self.filter_queryset(self.get_queryset()).values_list("pk", flat=True)
            )
        cases = selectors.case_list_page(ids=list(ids), user=request.user)
        return self.get_paginated_response(self.get_serializer(cases, many=True).data)

    @extend_schema(
        request=s.CaseCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.CaseDetailSerializer, 422: ErrorResponse422Serializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """A district commissioner logs a case for a centre of their district."""
        serializer = s.CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.case_submit(actor=request.user, **serializer.validated_data)
        return self.detail_response(case.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.CaseEditSerializer,
        parameters=[IF_MATCH],
        responses={
            200: s.CaseDetailSerializer,
            409: ErrorResponse409Serializer,
            412: ErrorResponse412Serializer,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        """The case's district commissioner edits it while it is not yet answered."""
        case = self.get_object()
        serializer = s.CaseEditSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.case_edit(
            case=case,
            actor=request.user,
            expected_version=expected_version(request),
            **serializer.validated_data,
        )
        return self.detail_response(case.pk)

    @extend_schema(methods=["GET"], responses={200: s.CommentSerializer(many=True)})
    @extend_schema(methods=["POST"], request=s.CommentSerializer, responses={201: s.CommentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def comments(self, request, pk=None):
        """Internal notes on the case."""
        case = self.get_object()
        if request.method == "GET":
            comments = case.comments.select_related("author")
            return Response(s.CommentSerializer(comments, many=True).data)
        serializer = s.CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.case_add_comment(
            case=case, author=request.user, body=serializer.validated_data["body"]
        )
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: s.AttachmentSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=s.AttachmentUploadSerializer, responses={201: s.AttachmentSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filter_backends=[],
        # An upload is multipart only (the document says so); a JSON body is a 415.
        parser_classes=[MultiPartParser],
    )
    def attachments(self, request, pk=None):
        """Documents handed over by the centre; size and type are checked on upload."""
        case = self.get_object()
        if request.method == "GET":
            return Response(s.AttachmentSerializer(case.attachments.all(), many=True).data)
        serializer = s.AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.case_add_attachment(
            case=case, uploaded_by=request.user, upload=serializer.validated_data["file"]
        )
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.SimilarCaseSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def similar(self, request, pk=None):
        """Up to 10 cases of the same measure, among those the user may see, whose title or
        description reads like this one's (trigram similarity, Chinese included), most alike first:
        the candidates for one policy issue (共性问题) or a duplicate of the same centre's."""
        cases = selectors.similar_cases(case=self.get_object(), user=request.user)
        return Response(s.SimilarCaseSerializer(cases, many=True).data)

    @extend_schema(responses={200: ChangeSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[])
    def changes(self, request, pk=None):
        """Every column change of the case's record and of its assignments, comments, documents,
        extension requests, supervisions, appeals and call-back attempts, newest first, as the
        database recorded them: old and new values, who, through which address or task, and why.
        (The case's `history` is the workflow's own account: moves, from-state and to-state.)"""
        return paginated_changes(self, selectors.case_changes(case=self.get_object()))

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        pagination_class=None,
        filter_backends=[],
    )
    def download_attachment(self, request, pk=None, attachment_id=None):
        """The file itself, for those who can see the case."""
        return attachment_download(get_object_or_404(self.get_object().attachments, pk=attachment_id))


def attachment_download(attachment) -> FileResponse:
    """The document itself, under its own name and type (the API's and the case page's download)."""
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
    response["Content-Type"] = attachment.content_type
    return response


# One POST action per move of the move table (`cases.api.moves`), named as the API always named them.
# Not a move of its own: the duplicate is withdrawn (the withdraw move's rule) into the other case.
CaseViewSet.merge = _move(
    "merge",
    services.case_merge,
    s.MergeSerializer,
    "Merge this duplicate into another case of the same centre (it is withdrawn into it; both "
    "histories stay). Answers with the case merged into.",
    # The merge locks both cases in id order (two merges of one pair cannot deadlock).
    locks_subject=False,
)

for _endpoint in MOVE_ENDPOINTS:
    setattr(
        CaseViewSet,
        _endpoint.view_name,
        _move(_endpoint.view_name, _endpoint.service, _endpoint.input, _endpoint.summary, _endpoint.url_path),
    )


class InboxView(generics.ListAPIView):
    """My bureau's work: cases to accept, contribute to, answer or reply to (a supervision), soonest due
    first; a case appears once for each thing to do on it."""

    serializer_class = s.InboxItemSerializer
    permission_classes = [roles_allowed(read={Role.BUREAU_STAFF})]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.bureau_inbox(user=self.request.user)

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(selectors.bureau_inbox_pages(user=request.user))
        items = selectors.inbox_items(rows=list(rows))
        return self.get_paginated_response(self.get_serializer(items, many=True).data)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": local_today()}
