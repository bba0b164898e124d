"""A centre's whole story in the API: the same timeline as its page, paged, newest first."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from centres.models import Centre
from commissioners.permissions import roles_allowed
from core.pagination import StandardPagination
from fieldwork import selectors

# Where each kind of entry is read in full: (page URL name, API URL name).
LINKS = {
    "case": ("work:case", "case-detail"),
    "contact": ("field:contact", "contact-record-detail"),
    "callback": ("work:case", "case-detail"),
    "assessment": ("assess:assessment", "assessment-detail"),
    "finding": (None, "finding-detail"),
    "briefing": (None, "briefing-detail"),
    "benefit": (None, "benefit-detail"),
}


class TimelineEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=selectors.TIMELINE_KINDS)
    id = serializers.IntegerField(source="item_id")
    at = serializers.DateTimeField()
    label = serializers.CharField()
    detail = serializers.CharField(
        help_text="The entry's state, way or outcome (a call-back: reached true/false)."
    )
    detail_label = serializers.CharField()
    case = serializers.IntegerField(allow_null=True, help_text="The case a call-back confirmed.")
    page_url = serializers.CharField(allow_null=True)
    api_url = serializers.CharField()


class CentreTimelineView(GenericAPIView):
    """Everything that happened with a centre, newest first: cases logged, contacts, call-backs,
    assessments and their findings, as far as the user may see each."""

    permission_classes = [roles_allowed()]
    serializer_class = TimelineEntrySerializer
    pagination_class = StandardPagination
    queryset = Centre.objects.none()
    filter_backends: list = []

    @extend_schema(operation_id="centres_timeline_list", responses={200: TimelineEntrySerializer(many=True)})
    def get(self, request, pk: int):
        try:
            centre = selectors.centre_profile(user=request.user, pk=pk)
        except Centre.DoesNotExist:
            raise Http404 from None
        rows = self.paginate_queryset(selectors.centre_timeline(user=request.user, centre=centre))
        entries = selectors.timeline_entries(rows)
        callback_cases = selectors.cases_of_callbacks(
            ids=[e.item_id for e in entries if e.kind == "callback"]
        )
        data = []
        for entry in entries:
            page_name, api_name = LINKS[entry.kind]
            target = callback_cases.get(entry.item_id) if entry.kind == "callback" else entry.item_id
            data.append(
                {
                    "kind": entry.kind,
                    "item_id": entry.item_id,
                    "at": entry.at,
                    "label": entry.label,
                    "detail": entry.detail,
                    "detail_label": entry.detail_label,
                    "case": target if entry.kind in ("case", "callback") else None,
                    "page_url": reverse(page_name, args=[target]) if page_name else None,
                    "api_url": reverse(api_name, args=[target]),
                }
            )
        return self.get_paginated_response(TimelineEntrySerializer(data, many=True).data)
