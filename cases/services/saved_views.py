"""A user's named case searches (the workbench's saved views): theirs alone, so no history."""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cases.models import SavedCaseView
from commissioners.models import User

NAME_REQUIRED = _("Give the view a name.")
QUERY_TOO_LONG = _("These filters are too long to save (%(limit)s characters at most).")


def saved_view_query(query: str) -> str:
    """The search's filters as the view keeps them: the query string without its page number."""
    filters = QueryDict(query, mutable=True)
    filters.pop("page", None)
    return filters.urlencode()


def saved_view_save(*, owner: User, name: str, query: str) -> SavedCaseView:
    """Names a search; the same name again replaces its filters."""
    name = name.strip()
    filters = saved_view_query(query)
    limit = SavedCaseView._meta.get_field("query").max_length
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    if len(filters) > limit:
        raise ValidationError({"query": QUERY_TOO_LONG % {"limit": limit}})
    view, _created = SavedCaseView.objects.update_or_create(
        owner=owner,
        name=name[: SavedCaseView._meta.get_field("name").max_length],
        defaults={"query": filters},
    )
    return view


def saved_view_delete(*, owner: User, view_id: int) -> SavedCaseView | None:
    """Deletes one of the owner's views; None when they have no such view."""
    view = SavedCaseView.objects.filter(owner=owner, pk=view_id).first()
    if view is not None:
        view.delete()
    return view
