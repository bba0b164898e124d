"""The policy catalogue and organisation loaded by the migrations match DOMAIN.md."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from centres.models import ResearchField
from commissioners.models import Bureau, District
from policies.models import Measure, ResponsibleUnit
from policies.routing import measure_routing

pytestmark = pytest.mark.django_db

SHANGHAI_ROUTING = {
    1: ["市科委", "市财政局"],
    2: ["市科委", "市财政局", "市税务局", "市经济信息化委", "市人力资源社会保障局"],
    3: ["上海海关", "市药品监管局", "市商务委", "市科委", "市经济信息化委"],
    4: ["市委网信办", "浦东新区政府(上海自贸试验区管委会)", "临港新片区管委会"],
    5: ["中国人民银行上海总部", "金融监管总局上海监管局", "上海证监局"],
    6: ["市知识产权局", "市高院"],
    7: ["市人才局", "市教委", "市人力资源社会保障局", "市政府外办", "市出入境管理局"],
    8: ["市科委", "市财政局", "市税务局", "上海海关", "市商务委"],
    9: ["市商务委", "各区政府"],
}


def _unit_names(measure: Measure) -> list[str]:
    return [
        "各区政府" if unit.is_centre_district_government else unit.bureau.name_zh
        for unit in measure.responsible_units.select_related("bureau").order_by("order")
    ]


def test_nine_shanghai_and_sixteen_national_measures():
    assert Measure.objects.filter(programme=Measure.Programme.SHANGHAI_2024).count() == 9
    assert Measure.objects.filter(programme=Measure.Programme.NATIONAL_2023).count() == 16


def test_shanghai_measures_route_to_the_units_domain_names_lead_first():
    for number, names in SHANGHAI_ROUTING.items():
        measure = Measure.objects.get(programme=Measure.Programme.SHANGHAI_2024, number=number)
        assert _unit_names(measure) == names, number
        assert measure.responsible_units.get(is_lead=True).order == 1


def test_every_measure_has_responsible_units_and_exactly_one_lead():
    for measure in Measure.objects.all():
        assert measure.responsible_units.exists(), measure
        assert measure.responsible_units.filter(is_lead=True).count() == 1, measure


def test_national_leads_follow_the_state_council_text():
    def lead(number):
        measure = Measure.objects.get(programme=Measure.Programme.NATIONAL_2023, number=number)
        return measure.responsible_units.get(is_lead=True).bureau.name_zh

    assert lead(7) == "中央网信办"
    assert lead(8) == "国家知识产权局"
    assert lead(15) == "国家知识产权局"
    assert lead(1) == "科技部"


def test_sixteen_bilingual_districts_each_with_its_government():
    assert District.objects.count() == 16
    assert set(District.objects.values_list("name_en", flat=True)) >= {
        "Pudong New Area",
        "Jing'an",
        "Chongming",
    }
    for district in District.objects.all():
        government = Bureau.objects.get(level=Bureau.Level.DISTRICT_GOVERNMENT, district=district)
        assert government.name_zh and government.name_en


def test_measure_9_routes_to_the_centres_own_district_government(xuhui_centre, pudong_centre):
    measure = Measure.objects.get(programme=Measure.Programme.SHANGHAI_2024, number=9)

    xuhui_routing = measure_routing(measure=measure, district_id=xuhui_centre.district_id)
    pudong_routing = measure_routing(measure=measure, district_id=pudong_centre.district_id)

    assert [(r.bureau.code, r.is_lead) for r in xuhui_routing] == [
        ("sh-commerce", True),
        ("xuhui-government", False),
    ]
    assert [r.bureau.code for r in pudong_routing] == ["sh-commerce", "pudong-government"]


def test_routing_follows_admin_changes_without_code(xuhui_centre):
    measure = Measure.objects.get(programme=Measure.Programme.SHANGHAI_2024, number=6)
    measure.responsible_units.update(is_lead=False)
    measure.responsible_units.filter(bureau__code="sh-high-court").update(is_lead=True)
    ResponsibleUnit.objects.create(measure=measure, bureau=Bureau.objects.get(code="sh-commerce"), order=9)

    routing = measure_routing(measure=measure, district_id=xuhui_centre.district_id)

    assert [(r.bureau.code, r.is_lead) for r in routing] == [
        ("sh-high-court", True),
        ("sh-intellectual-property", False),
        ("sh-commerce", False),
    ]


@pytest.mark.parametrize(
    ("module", "counted"),
    [
        ("commissioners.migrations.0002_reference_organisation", [District, Bureau]),
        ("centres.migrations.0003_reference_research_fields", [ResearchField]),
        ("cases.migrations.0003_reference_measures", [Measure, ResponsibleUnit]),
    ],
)
def test_loading_reference_data_again_changes_nothing(module, counted):
    before = {model: sorted(model.objects.values_list()) for model in counted}

    # The migration runs against the models as they were when it was written (the measures were
    # then in the cases app), as `migrate` would run it.
    app_label, _, name = module.split(".")
    historical_apps = MigrationLoader(connection).project_state((app_label, name)).apps
    importlib.import_module(module).load(historical_apps, None)

    assert {model: sorted(model.objects.values_list()) for model in counted} == before
