"""Liveness of the parts the service needs: the database and, when configured, Redis."""

import redis
from django.conf import settings
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

OK, DOWN, NOT_CONFIGURED = "ok", "down", "not_configured"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return DOWN
    return OK


def redis_status() -> str:
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError:
        return DOWN
    return OK


_check = serializers.ChoiceField(choices=[OK, DOWN, NOT_CONFIGURED])


class HealthView(APIView):
    """Open to load balancers and monitors; says nothing but whether each part answers."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    # Monitors ask often and from one address; they are never throttled.
    throttle_classes: list = []

    @extend_schema(
        responses={
            (200, "application/json"): inline_serializer(
                "Health",
                {"status": serializers.ChoiceField(choices=[OK, DOWN]), "database": _check, "redis": _check},
            ),
            (503, "application/json"): inline_serializer(
                "HealthDown",
                {"status": serializers.ChoiceField(choices=[OK, DOWN]), "database": _check, "redis": _check},
            ),
        }
    )
    def get(self, request):
        checks = {"database": database_status(), "redis": redis_status()}
        healthy = DOWN not in checks.values()
        return Response({"status": OK if healthy else DOWN, **checks}, status=200 if healthy else 503)
