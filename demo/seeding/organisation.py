"""The demo users (one per role) and the centres with their contact persons."""

from datetime import date

from centres.models import Centre, ContactPerson, ResearchField
from centres.scheduling import refresh_next_contact_due
from commissioners.models import Bureau, District, Role, User
from demo.data.organisation import (
    BUREAU_STAFF,
    CENTRES,
    CONTACT_TITLES,
    DEMO_PASSWORD,
    DISTRICTS_WITH_COMMISSIONERS,
)


def seed_users() -> list[tuple[str, str, str]]:
    """One demo user per role, created the first time; returns their logins (username, role, scope)."""
    logins = []
    demo_user("admin", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True, first_name="Admin")
    logins.append(("admin", Role.ADMINISTRATOR.value, "Django admin at /admin/"))
    demo_user("city", role=Role.CITY_COMMISSIONER, first_name="市级专员", language="zh-hans")
    logins.append(("city", Role.CITY_COMMISSIONER.value, "all districts"))
    demo_user("manager", role=Role.MANAGER, first_name="Manager", language="en")
    logins.append(("manager", Role.MANAGER.value, "read-only, all districts; /dashboard/"))
    pudong = District.objects.get(code="pudong")
    demo_user("manager-pudong", role=Role.MANAGER, district=pudong, first_name="浦东新区领导")
    logins.append(("manager-pudong", Role.MANAGER.value, "read-only, Pudong only; /dashboard/"))
    for code in DISTRICTS_WITH_COMMISSIONERS:
        district = District.objects.get(code=code)
        demo_user(
            f"dc-{code}", role=Role.DISTRICT_COMMISSIONER, district=district, first_name=district.name_zh
        )
        logins.append((f"dc-{code}", Role.DISTRICT_COMMISSIONER.value, district.name_en))
    for username, bureau_code, family_name, given_name in BUREAU_STAFF:
        bureau = Bureau.objects.get(code=bureau_code)
        demo_user(
            username, role=Role.BUREAU_STAFF, bureau=bureau, last_name=family_name, first_name=given_name
        )
        logins.append((username, Role.BUREAU_STAFF.value, bureau.name_en))
    return logins


def seed_centres() -> int:
    """The demo centres with their contact persons, those not there yet; returns how many were added."""
    districts = {district.code: district for district in District.objects.all()}
    fields = {field.code: field for field in ResearchField.objects.all()}
    commissioners = {
        user.district.code: user
        for user in User.objects.filter(
            role=Role.DISTRICT_COMMISSIONER, username__startswith="dc-"
        ).select_related("district")
    }
    created = 0
    for (
        name_en,
        name_zh,
        parent,
        country,
        district_code,
        centre_type,
        field_codes,
        ftz,
        lingang,
        zhangjiang,
        rd_staff,
        total,
        recognised,
    ) in CENTRES:
        district = districts[district_code]
        if Centre.objects.filter(district=district, name_en=name_en).exists():
            continue
        centre = Centre.objects.create(
            name_en=name_en,
            name_zh=name_zh,
            parent_company=parent,
            parent_country=country,
            district=district,
            centre_type=centre_type,
            in_free_trade_zone=ftz,
            in_lingang=lingang,
            in_zhangjiang=zhangjiang,
            full_time_rd_staff=rd_staff,
            total_staff=total,
            recognised_on=date.fromisoformat(recognised),
            commissioner=commissioners.get(district_code),
        )
        centre.research_fields.set([fields[code] for code in field_codes])
        ContactPerson.objects.bulk_create(
            ContactPerson(
                centre=centre,
                order=order,
                name=f"{parent.split()[0]} {title_en.split()[0]}",
                title=f"{title_zh} / {title_en}",
                phone=f"+86 21 6{created:03d}{order:04d}",
                email=f"{title_en.split()[0].lower()}@{parent.split()[0].lower()}.example",
            )
            for order, (title_zh, title_en) in enumerate(CONTACT_TITLES)
        )
        created += 1
    refresh_next_contact_due(Centre.objects.filter(next_contact_due__isnull=True))
    return created


def demo_user(username: str, **fields) -> User:
    """The demo user of that name, created with the demo password the first time."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@commissioners.example", **fields)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    return user
