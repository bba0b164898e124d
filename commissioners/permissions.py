"""Role-based access to API views: each view names the roles it admits."""

from collections.abc import Iterable

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import Role

ALL_ROLES = frozenset(Role)


def roles_allowed(*, read: Iterable[Role] = ALL_ROLES, write: Iterable[Role] = ()) -> type[BasePermission]:
    """A permission class admitting `read` roles to safe methods and `write` roles to the rest."""
    read_roles, write_roles = frozenset(read), frozenset(write)

    class RolesAllowed(BasePermission):
        def has_permission(self, request, view) -> bool:
            user = request.user
            if not (user and user.is_authenticated and user.is_active):
                return False
            allowed = read_roles if request.method in SAFE_METHODS else write_roles
            return user.role in allowed

    RolesAllowed.__name__ = f"RolesAllowed(read={sorted(read_roles)}, write={sorted(write_roles)})"
    return RolesAllowed
