import django_filters

from centres.models import Centre


class CentreFilter(django_filters.FilterSet):
    district = django_filters.CharFilter(field_name="district__code")
    research_field = django_filters.CharFilter(field_name="research_fields__code", distinct=True)
    min_full_time_rd_staff = django_filters.NumberFilter(field_name="full_time_rd_staff", lookup_expr="gte")
    recognised_after = django_filters.DateFilter(field_name="recognised_on", lookup_expr="gte")
    recognised_before = django_filters.DateFilter(field_name="recognised_on", lookup_expr="lte")

    class Meta:
        model = Centre
        fields = [
            "district",
            "centre_type",
            "status",
            "in_free_trade_zone",
            "in_lingang",
            "in_zhangjiang",
            "parent_country",
            "commissioner",
            "research_field",
        ]
