"""Schema pieces the error library does not provide: the 409 of a move the object's state forbids."""

from rest_framework import serializers


class Error409Serializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["client_error"])
    errors = Error409Serializer(many=True)
