"""Policy eligibility (政策落地): the rules that turn a reviewed assessment into findings for
the responsible bureaus. Every rule names the measure it applies and where its bureaus come from.

Tagged problems are not rules here: each becomes a case of its measure, routed like any
other case (`assessments.services.assessment_review`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from centres.models import CentreType, GuidanceClass
from commissioners.models import Bureau
from policies.models import Measure, Programme
from policies.routing import measure_routing

from .models import Assessment

# Measure 8 (落实科技创新财政税收政策): a global R&D centre with 50 or more full-time R&D staff
# may receive the start-up and rent subsidies of the regional-headquarters policy.
HQ_SUBSIDY_MIN_RD_STAFF = 50
# The units of Measure 8 that handle these subsidies: the commerce commission (regional
# headquarters policy) and the finance bureau (which pays them).
HQ_SUBSIDY_BUREAUS = ("sh-commerce", "sh-finance")


@dataclass(frozen=True)
class Rule:
    code: str
    measure_number: int
    # What the bureau reads on the finding, in its own language.
    title: Promise
    applies: Callable[[Assessment], bool]
    bureaus: Callable[[Assessment, Measure], list[Bureau]]


def _bureaus_by_code(codes: tuple[str, ...]) -> Callable[[Assessment, Measure], list[Bureau]]:
    def bureaus(assessment: Assessment, measure: Measure) -> list[Bureau]:
        found = {bureau.code: bureau for bureau in Bureau.objects.filter(code__in=codes)}
        return [found[code] for code in codes if code in found]

    return bureaus


def _measure_routing(assessment: Assessment, measure: Measure) -> list[Bureau]:
    """The measure's responsible units as the routing table names them for this centre."""
    return [
        routed.bureau
        for routed in measure_routing(measure=measure, district_id=assessment.centre.district_id)
    ]


RULES = (
    Rule(
        code="hq_startup_and_rent_subsidy",
        measure_number=8,
        title=_(
            "Eligible for the regional-headquarters start-up and rent subsidies: a global R&D centre "
            "with 50 or more full-time R&D staff (Measure 8)."
        ),
        applies=lambda assessment: (
            assessment.centre.centre_type == CentreType.GLOBAL_RD_CENTRE
            and (assessment.full_time_rd_staff or 0) >= HQ_SUBSIDY_MIN_RD_STAFF
        ),
        bureaus=_bureaus_by_code(HQ_SUBSIDY_BUREAUS),
    ),
    Rule(
        code="needs_attention",
        measure_number=9,
        title=_(
            "Classified as needing attention: closer service guarantees and more frequent routine "
            "contact (Measure 9)."
        ),
        applies=lambda assessment: assessment.guidance_class == GuidanceClass.NEEDS_ATTENTION,
        bureaus=_measure_routing,
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}


@dataclass(frozen=True)
class Eligibility:
    rule: Rule
    measure: Measure
    bureaus: list[Bureau]


def eligibilities(assessment: Assessment) -> list[Eligibility]:
    """The rules that apply to the assessment, each with the bureaus its finding goes to."""
    measures = {
        measure.number: measure
        for measure in Measure.objects.filter(
            programme=Programme.SHANGHAI_2024, number__in={rule.measure_number for rule in RULES}
        )
    }
    found = []
    for rule in RULES:
        if rule.applies(assessment):
            measure = measures[rule.measure_number]
            found.append(Eligibility(rule=rule, measure=measure, bureaus=rule.bureaus(assessment, measure)))
    return found
