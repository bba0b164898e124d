"""How far a user's sight reaches: the one rule for "a manager bound to a district sees that district".

The user model's constraint sets `district` only for district commissioners and for a district's
managers (its leadership), so a user's district, where set, is where their sight ends; city
commissioners, the city's managers and administrators have none and see the whole city."""

from .models import Role, User

CITY_WIDE_ROLES = frozenset({Role.CITY_COMMISSIONER, Role.MANAGER, Role.ADMINISTRATOR})


def district_in_sight(user: User) -> int | None:
    """The district the user's sight ends at; None for a user who sees the whole city (or no district)."""
    return user.district_id


def sees_the_city(user: User) -> bool:
    """City-wide roles, but for a manager who leads a district."""
    return user.role in CITY_WIDE_ROLES and district_in_sight(user) is None
