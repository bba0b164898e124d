"""The pages every user shares: the one login, the start page, the header and the notifications.

The pages of each app (the workbench in `cases`, the dashboards in `dashboards`) extend
`layout/base.html`; its header comes from `header`, a context processor. The menu names the pages
of the apps above by their URL names only, so this layer imports none of them.
"""

from dataclasses import dataclass

from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.i18n import set_language

from . import notifications, preferences
from .models import Role, User

NOTIFICATIONS_PER_PAGE = 30
NOT_FOR_YOUR_ROLE = _("This page is for %(roles)s; your role is %(role)s.")


class RolePageMixin(LoginRequiredMixin):
    """A page for some roles only: a visitor logs in, anyone else is told whose page it is."""

    roles: frozenset[str] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles and request.user.role not in self.roles:
            names = ", ".join(str(Role(role).label) for role in sorted(self.roles))
            reason = NOT_FOR_YOUR_ROLE % {"roles": names, "role": request.user.get_role_display() or "—"}
            return render(request, "layout/forbidden.html", {"reason": reason}, status=403)
        return super().dispatch(request, *args, **kwargs)


def render_part(request, full: str, part: str, part_id: str, context: dict, status: int = 200):
    """An htmx request aimed at one part of the page (`part_id`) gets that part alone; any other
    request, htmx following a redirect from a form included, the whole page (told apart in the
    caches by `Vary`)."""
    htmx = request.htmx
    wants_part = htmx and htmx.target == part_id and not htmx.history_restore_request
    response = render(request, part if wants_part else full, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@dataclass(frozen=True)
class MenuItem:
    name: str
    url_name: str
    label: str


TRIAGE = MenuItem("city", "work:city", _("Triage and dispatch"))
INBOX = MenuItem("inbox", "work:inbox", _("Inbox"))
CASES = MenuItem("cases", "work:cases", _("Cases"))
CENTRES = MenuItem("centres", "field:centres", _("Centres"))
FOLLOW_UPS = MenuItem("follow-ups", "field:follow-ups", _("Follow-ups"))
ASSESSMENTS = MenuItem("assessments", "assess:list", _("Assessments"))
POLICY_ISSUES = MenuItem("policy-issues", "work:policy-issues", _("Policy issues"))
LANDING = MenuItem("landing", "landing:briefings", _("Policy landing"))
DASHBOARD = MenuItem("dashboard", "dashboard:home", _("Dashboard"))
ADMIN = MenuItem("admin", "admin:index", _("Administration"))

# Each role's pages, its start page first.
MENUS: dict[str, tuple[MenuItem, ...]] = {
    Role.CITY_COMMISSIONER: (TRIAGE, CASES, POLICY_ISSUES, CENTRES, ASSESSMENTS, LANDING, DASHBOARD),
    Role.BUREAU_STAFF: (INBOX, CASES, POLICY_ISSUES, LANDING),
    Role.DISTRICT_COMMISSIONER: (CENTRES, FOLLOW_UPS, CASES, ASSESSMENTS, LANDING),
    Role.MANAGER: (DASHBOARD, CASES, POLICY_ISSUES, CENTRES, ASSESSMENTS, LANDING),
    Role.ADMINISTRATOR: (DASHBOARD, CASES, CENTRES, ADMIN),
}


def menu_of(user: User) -> tuple[MenuItem, ...]:
    return MENUS.get(user.role, ())


def start_url(user: User) -> str:
    menu = menu_of(user)
    if menu:
        return reverse(menu[0].url_name)
    return reverse("admin:index") if user.is_staff else reverse("notifications")


def header(request) -> dict:
    """The menu and the unread count on every page: one query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    menu = []
    for item in menu_of(user):
        url = reverse(item.url_name)
        menu.append({"name": item.name, "url": url, "label": item.label, "current": request.path == url})
    return {"header": {"menu": menu, "unread": notifications.unread_count(user=user)}}


class LoginView(auth_views.LoginView):
    """The one login of the workbench, the dashboards and the admin (one session for all)."""

    template_name = "layout/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return start_url(self.request.user)


class LogoutView(auth_views.LogoutView):
    next_page = "login"


class StartView(LoginRequiredMixin, View):
    """`/`: each user's own start page."""

    def get(self, request):
        return redirect(start_url(request.user))


def language(request):
    """Django's language switch (a cookie, so the browser keeps it), and the user's profile
    language, so that their notifications and e-mails speak it too."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        preferences.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


@dataclass(frozen=True)
class NotificationLine:
    id: int
    title: str
    body: str
    is_read: bool
    created_at: object
    cases: list[int]


def _lines(page) -> list[NotificationLine]:
    language = get_language()
    lines = []
    for notification in page:
        title, body = notifications.render(
            kind=notification.kind, params=notification.params, language=language
        )
        lines.append(
            NotificationLine(
                id=notification.pk,
                title=title,
                body=body,
                is_read=notification.read_at is not None,
                created_at=notification.created_at,
                cases=notifications.case_ids(notification.params),
            )
        )
    return lines


class NotificationListView(LoginRequiredMixin, View):
    """My notifications, newest first; `?unread=1` the unread ones only."""

    def get(self, request):
        mine = notifications.notifications_of(user=request.user)
        unread_only = request.GET.get("unread") == "1"
        if unread_only:
            mine = mine.filter(read_at__isnull=True)
        page = Paginator(mine.order_by("-created_at", "-id"), NOTIFICATIONS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "layout/notifications.html",
            {"page": page, "lines": _lines(page), "unread_only": unread_only},
        )


class NotificationBellView(LoginRequiredMixin, View):
    """The header's unread count alone, for the page to refresh it."""

    def get(self, request):
        return render(request, "layout/_bell.html", {"unread": notifications.unread_count(user=request.user)})


class NotificationOpenView(LoginRequiredMixin, View):
    """Following a notification's link opens its case (or the list, for a summary) and marks it read."""

    def get(self, request, pk: int):
        notification = get_object_or_404(notifications.notifications_of(user=request.user), pk=pk)
        notifications.notification_mark_read(user=request.user, ids=[notification.pk])
        case = notification.params.get("case")
        return HttpResponseRedirect(reverse("work:case", args=[case]) if case else reverse("notifications"))


class NotificationMarkReadView(LoginRequiredMixin, View):
    """Marks one notification read (`pk`) or all of them; back to the list."""

    def post(self, request, pk: int | None = None):
        notifications.notification_mark_read(user=request.user, ids=None if pk is None else [pk])
        query = "?unread=1" if request.POST.get("unread") == "1" else ""
        return HttpResponseRedirect(reverse("notifications") + query)
