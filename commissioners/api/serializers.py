from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from commissioners.models import Bureau, District, User


class DistrictSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("The name in the language of the request."))

    class Meta:
        model = District
        fields = ["id", "code", "name", "name_zh", "name_en"]


class BureauSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("The name in the language of the request."))
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Bureau
        fields = ["id", "code", "name", "name_zh", "name_en", "level", "district"]


class CurrentUserSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    bureau = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "role", "district", "bureau", "language"]
        read_only_fields = fields


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_('Send it as "Authorization: Token <token>".'))
    expiry = serializers.DateTimeField(allow_null=True)
    user = CurrentUserSerializer()
