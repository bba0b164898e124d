"""Who may open the dashboards, and over which district."""

from dataclasses import dataclass

from rest_framework.permissions import BasePermission

from commissioners.models import Role, User
from commissioners.scopes import district_in_sight

# Managers and the city's commissioners watch the mechanism; administrators keep it running.
DASHBOARD_ROLES = frozenset({Role.MANAGER, Role.CITY_COMMISSIONER, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class DashboardScope:
    """The district a user's figures are confined to; `district_id` None means the whole city."""

    district_id: int | None

    def narrowed_to(self, district_id: int | None) -> "DashboardScope":
        """The scope after the user picks a district: a district manager cannot widen theirs."""
        if self.district_id is not None:
            return self
        return DashboardScope(district_id=district_id)


def may_open_dashboards(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in DASHBOARD_ROLES)


def dashboard_scope_for(*, user: User) -> DashboardScope:
    """A district's leadership (a manager bound to a district) sees that district; the rest the city."""
    return DashboardScope(district_id=district_in_sight(user))


class MayOpenDashboards(BasePermission):
    def has_permission(self, request, view) -> bool:
        return may_open_dashboards(request.user)
