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
from policies.models import Measure, Programme, SpecialArea
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
    # The clause of the 2024 plan the rule applies, as its text says it.
    clause: str = ""
    # An eligibility for a benefit the centre may apply for (the landing funnel's first step), not
    # a call for closer service.
    is_eligibility: bool = True


def _bureaus_by_code(codes: tuple[str, ...]) -> Callable[[Assessment, Measure], list[Bureau]]:
    def bureaus(assessment: Assessment, measure: Measure) -> list[Bureau]:
        found = {bureau.code: bureau for bureau in Bureau.objects.filter(code__in=codes)}
        return [found[code] for code in codes if code in found]

    return bureaus


# Measure 3's biomedical R&D imports pilot: the research fields it concerns.
BIOMEDICAL_FIELDS = frozenset({"biomedicine", "medical-devices"})


def _researches(assessment: Assessment, fields: frozenset[str]) -> bool:
    return assessment.centre.research_fields.filter(code__in=fields).exists()


def _measure_routing(assessment: Assessment, measure: Measure) -> list[Bureau]:
    """The measure's responsible units as the routing table names them for this centre."""
    return [
        routed.bureau
        for routed in measure_routing(
            measure=measure, district_id=assessment.centre.district_id, areas=assessment.centre.special_areas
        )
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
        clause="八、专职研发人员数量在50名及以上的全球研发中心，可以参照跨国公司地区总部政策获得开办费和租房资助",
    ),
    Rule(
        code="rd_cost_super_deduction",
        measure_number=8,
        title=_(
            "Eligible for the super deduction of R&D costs before tax: the centre reports R&D spending "
            "(Measure 8)."
        ),
        applies=lambda assessment: (assessment.rd_spending_cny or 0) > 0,
        bureaus=_bureaus_by_code(("sh-tax",)),
        clause="八、外资研发中心平等享受研发费用税前加计扣除、企业投入基础研究税收优惠等政策",
    ),
    Rule(
        code="biomedical_rd_imports",
        measure_number=3,
        title=_(
            "Eligible for the customs facilitation of the biomedical R&D imports pilot: a centre in "
            "biomedicine or medical devices (Measure 3)."
        ),
        applies=lambda assessment: _researches(assessment, BIOMEDICAL_FIELDS),
        bureaus=_bureaus_by_code(("sh-customs", "sh-medical-products")),
        clause="三、支持生物医药领域外资研发中心享受生物医药企业（研发机构）进口研发用物品通关便利",
    ),
    Rule(
        code="foreign_talent_permits",
        measure_number=7,
        title=_(
            "Eligible for work and residence permits of up to 5 years and the incomplete-file acceptance "
            "for its foreign experts: the centre employs foreign experts (Measure 7)."
        ),
        applies=lambda assessment: (assessment.foreign_experts or 0) > 0,
        bureaus=_bureaus_by_code(("sh-human-resources", "sh-exit-entry")),
        clause=(
            "七、外资研发中心聘雇的外籍人才在办理《外国人工作许可证》时，可享受“容缺受理”便利；聘雇外籍高端人才"
            "……可办理有效期最长为5年的工作许可和居留许可"
        ),
    ),
    Rule(
        code="ftz_data_catalogue",
        measure_number=4,
        title=_(
            "Data outside the Free Trade Zone's data catalogue may leave the country without a security "
            "assessment: a centre in the Pilot Free Trade Zone or the Lingang Special Area (Measure 4)."
        ),
        applies=lambda assessment: bool(
            assessment.centre.special_areas & {SpecialArea.FREE_TRADE_ZONE, SpecialArea.LINGANG}
        ),
        # The routing table reads the same flags: the FTZ's or Lingang's administration, as the case may be.
        bureaus=_measure_routing,
        clause=(
            "四、在中国（上海）自由贸易试验区（含临港新片区）……清单和目录以外的数据出境，不需要申报数据出境安全评估"
        ),
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
        clause="九、加强对外资研发中心发展情况评估，分类指导，推动外资研发中心高质量发展",
        is_eligibility=False,
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
ELIGIBILITY_RULE_CODES = frozenset(rule.code for rule in RULES if rule.is_eligibility)


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
