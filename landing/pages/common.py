"""What the policy landing pages share: the tabs between them, a service's refusal on a form, paging."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import error_messages, known_error

TABS = (
    ("briefings", "landing:briefings", _("Briefings")),
    ("campaigns", "landing:campaigns", _("Campaigns")),
    ("benefits", "landing:benefits", _("Benefits")),
)
# Bureaus set no campaign and see none (their sight of centres ends at the cases routed to them).
CAMPAIGN_TAB_HIDDEN_FOR = frozenset({"bureau_staff"})


def with_tabs(request, current: str) -> dict:
    tabs = [
        {"name": name, "url_name": url_name, "label": label, "current": name == current}
        for name, url_name, label in TABS
        if not (name == "campaigns" and request.user.role in CAMPAIGN_TAB_HIDDEN_FOR)
    ]
    return {"tabs": tabs}


def form_refused(form: forms.Form, exc: Exception, *, renamed: dict | None = None) -> int:
    """A service's refusal shown on the form, on its field when the form has one, else at the top;
    returns the status the API would answer. A bug is not a refusal and is raised."""
    error = known_error(exc)
    if error is None:
        raise exc
    detail = error.detail if isinstance(error.detail, dict) else {None: error.detail}
    renamed = renamed or {}
    for field, problems in detail.items():
        field = renamed.get(field, field)
        for message in error_messages(problems):
            form.add_error(field if field in form.fields else None, message)
    return error.status_code


def page_number(params) -> str | None:
    """The page asked for, taken out of the filters."""
    return params.pop("page", [None])[-1]


def listed_query(request) -> str:
    """The list's query without its page, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
