"""What a locked-out login is told (django-axes' lockout callable): when to try again, in the
user's language; JSON in the API's error shape for the API, a page for the pages."""

from axes.helpers import get_cool_off
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import error_body, is_api_request

LOCKED_OUT_STATUS = 429


def lockout_message(minutes: int, until: str) -> str:
    return _(
        "Too many failed logins for this user name or from this address. Try again in %(minutes)d "
        "minutes, after %(until)s."
    ) % {"minutes": minutes, "until": until}


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    until = timezone.localtime(timezone.now() + cool_off) if cool_off else timezone.localtime()
    message = lockout_message(max(1, -(-seconds // 60)), date_format(until, "H:i"))
    if is_api_request(request):
        response = JsonResponse(error_body("locked_out", message), status=LOCKED_OUT_STATUS)
    else:
        response = render(
            request, "commissioners/locked_out.html", {"message": message}, status=LOCKED_OUT_STATUS
        )
    response["Retry-After"] = str(seconds)
    return response
