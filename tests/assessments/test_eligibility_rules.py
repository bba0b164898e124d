"""More eligibility rules from the 2024 plan's named conditions (measures 3, 4, 7 and 8), each
citing its clause and reading the centre's own flags as routing does."""

from datetime import date

import pytest

from assessments import services as assessments
from assessments.eligibility import RULES
from assessments.models import Assessment, AssessmentCycle, Finding
from centres.models import ResearchField
from tests.assessments.test_assessments import reviewed
from tests.factories import CentreFactory, district

pytestmark = pytest.mark.django_db

NO_FIGURES = {
    "full_time_rd_staff": 0,
    "rd_spending_cny": 0,
    "foreign_experts": 0,
    "patents_filed": 0,
    "patents_granted": 0,
    "joint_projects_universities": 0,
    "joint_projects_institutes": 0,
    "joint_projects_firms": 0,
}


@pytest.fixture
def review(xuhui_commissioner, pudong_commissioner, city_commissioner):
    commissioners = {"xuhui": xuhui_commissioner, "pudong": pudong_commissioner}

    def run(*, where="xuhui", fields=(), centre_flags=None, **figures):
        commissioner = commissioners[where]
        centre = CentreFactory(district=district(where), commissioner=commissioner, **(centre_flags or {}))
        centre.research_fields.set(ResearchField.objects.filter(code__in=fields))
        own_cycle = AssessmentCycle.objects.create(
            name=f"Rules {centre.pk}",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            opens_on=date(2026, 1, 5),
            due_on=date(2026, 2, 27),
        )
        assessments.open_cycle(cycle=own_cycle)
        assessment = Assessment.objects.get(cycle=own_cycle, centre=centre)
        reviewed(assessment, commissioner, city_commissioner, **{**NO_FIGURES, **figures})
        return {(f.rule, f.bureau.code) for f in Finding.objects.filter(assessment=assessment)}

    return run


NUMERALS = {3: "三、", 4: "四、", 7: "七、", 8: "八、", 9: "九、"}


def test_every_rule_cites_its_clause_of_the_plan():
    for rule in RULES:
        assert rule.clause.startswith(NUMERALS[rule.measure_number]), rule.code
        assert len(rule.clause) > 20, rule.code


def test_rd_spending_makes_a_centre_eligible_for_the_super_deduction(review):
    assert ("rd_cost_super_deduction", "sh-tax") in review(rd_spending_cny=1_000_000)
    assert not {rule for rule, _ in review()} & {"rd_cost_super_deduction"}


def test_a_biomedical_centre_is_eligible_for_the_imports_pilot(review):
    found = review(fields=["biomedicine"])
    assert {
        ("biomedical_rd_imports", "sh-customs"),
        ("biomedical_rd_imports", "sh-medical-products"),
    } <= found
    assert "biomedical_rd_imports" not in {rule for rule, _ in review(fields=["semiconductors"])}


def test_foreign_experts_make_a_centre_eligible_for_the_long_permits(review):
    found = review(foreign_experts=3)
    assert {
        ("foreign_talent_permits", "sh-human-resources"),
        ("foreign_talent_permits", "sh-exit-entry"),
    } <= found


@pytest.mark.parametrize(
    ("flags", "bureaus"),
    [
        ({"in_lingang": True}, {"sh-cyberspace", "lingang-administration"}),
        ({"in_free_trade_zone": True}, {"sh-cyberspace", "pudong-government"}),
    ],
)
def test_a_centre_in_the_ftz_or_lingang_is_told_of_the_data_catalogue_by_its_own_areas_units(
    review, flags, bureaus
):
    found = review(where="pudong", centre_flags=flags)
    assert {bureau for rule, bureau in found if rule == "ftz_data_catalogue"} == bureaus


def test_a_centre_outside_the_special_areas_gets_no_data_catalogue_finding(review):
    assert "ftz_data_catalogue" not in {rule for rule, _ in review(where="pudong")}
