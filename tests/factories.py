"""Test data builders over the reference data the migrations load."""

import factory
from django.contrib.auth.hashers import make_password

from centres.models import Centre, CentreType
from centres.scheduling import refresh_next_contact_due
from commissioners.models import Bureau, District, Role, User
from policies.models import Measure, Programme

PASSWORD = "correct horse battery staple"


def district(code: str) -> District:
    return District.objects.get(code=code)


def bureau(code: str) -> Bureau:
    return Bureau.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
    role = Role.CITY_COMMISSIONER
    language = "en"


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        skip_postgeneration_save = True

    name_zh = factory.Sequence(lambda n: f"测试研发中心{n}")
    name_en = factory.Sequence(lambda n: f"Test R&D Centre {n}")
    parent_company = factory.Sequence(lambda n: f"Parent Company {n}")
    parent_country = "DE"
    district = factory.LazyFunction(lambda: district("xuhui"))
    centre_type = CentreType.RD_CENTRE
    full_time_rd_staff = 40
    total_staff = 60

    @factory.post_generation
    def next_contact_due(centre, create, extracted, **kwargs):
        # As the services leave a centre they register: with its next contact due stored.
        if create:
            refresh_next_contact_due(Centre.objects.filter(pk=centre.pk))
            centre.refresh_from_db(fields=["next_contact_due"])


def shanghai_measure(number: int) -> Measure:
    return Measure.objects.get(programme=Programme.SHANGHAI_2024, number=number)
