"""The demo's assessment cycles: the 2025 entries, their problems and corrections, the review
notes, the findings the bureaus handle, and the current cycle's draft."""

from decimal import Decimal

from assessments.models import Finding
from centres.models import GuidanceClass

PAST_CYCLE = "2025 annual"
CURRENT_CYCLE = "2026 annual"

# What each centre's commissioner entered for 2025. With the default weights (full marks at
# 200 R&D staff, 60% R&D share, CNY 100 million, 30 patents filed, 15 granted, 6 joint
# projects, 3 start-ups, 10 foreign experts; leading from 60 points, growing from 30) this
# gives 8 leading, 18 growing and 5 needing attention. Five global centres have 50 or more
# full-time R&D staff, so Measure 8's subsidy finding goes to commerce and finance for each.
# full-time R&D staff, total staff, R&D spending (CNY million), patents filed, granted, joint
# projects with universities, institutes, firms, start-ups incubated, foreign experts
# fmt: off
ASSESSMENTS_2025 = {
    "Helvetia Biologics Shanghai R&D Centre": (420, 510, "85", 28, 12, 3, 2, 2, 1, 14),
    "Nordhavn Pharma China Innovation Centre": (175, 228, "42", 12, 4, 2, 1, 1, 0, 5),
    "Rheinwerk Automotive Asia R&D": (640, 815, "130", 36, 17, 2, 1, 4, 0, 9),
    "Lumen Semiconductor Shanghai Design Centre": (92, 118, "68", 24, 9, 2, 1, 1, 0, 7),
    "Sakura Materials Shanghai Laboratory": (58, 84, "21", 9, 4, 1, 1, 1, 0, 3),
    "Maple Medical Devices China R&D": (40, 68, "12", 9, 4, 1, 1, 2, 0, 2),
    "Hanbit Electronics Shanghai Research Institute": (205, 255, "54", 19, 7, 2, 1, 2, 1, 11),
    "Gallia Cosmetics Asia Innovation Centre": (118, 158, "26", 8, 5, 1, 1, 2, 0, 4),
    "Orange Polder Food Science Centre": (36, 54, "8.5", 7, 3, 2, 1, 2, 0, 2),
    "Thames Aero Engineering Shanghai": (72, 108, "31", 11, 4, 1, 2, 1, 0, 5),
    "Alpenglow Open Innovation Hub": (24, 41, "3.2", 1, 0, 0, 0, 1, 1, 2),
    "Danube Industrial Automation R&D": (47, 90, "9.8", 8, 3, 1, 1, 3, 0, 2),
    "Fjord Energy Storage Laboratory": (28, 44, "4.6", 2, 1, 0, 1, 0, 0, 1),
    "Victoria Harbour Fintech Lab": (34, 50, "7.5", 5, 2, 1, 1, 3, 1, 3),
    "Lion City Nutrition Asia Centre": (64, 80, "16", 7, 3, 2, 0, 1, 0, 3),
    "Medici Design and Materials Studio": (22, 36, "5.1", 9, 4, 2, 0, 3, 0, 2),
    # Restructured in 2025: fewer full-time R&D staff than its record still shows.
    "Celtic Genomics China Centre": (48, 150, "6.8", 2, 1, 0, 0, 1, 0, 1),
    "Bavaria Motion Global R&D Centre": (870, 1040, "260", 45, 21, 4, 1, 5, 2, 26),
    "Pacific Cloud Shanghai AI Lab": (305, 356, "150", 38, 14, 3, 2, 2, 3, 18),
    "Flanders Vaccines Research Centre": (51, 68, "22", 5, 2, 2, 1, 0, 0, 4),
    "Helsinki Mobile Networks R&D": (395, 448, "112", 33, 16, 2, 1, 3, 0, 9),
    "Zurich Robotics Open Platform": (33, 48, "6.2", 4, 1, 2, 1, 2, 2, 3),
    "Lyon Diagnostics China Lab": (26, 40, "5.5", 6, 3, 2, 2, 1, 0, 2),
    "Seoul Battery Materials Institute": (62, 128, "5.9", 3, 1, 0, 0, 1, 0, 2),
    "Copenhagen Enzymes Asia Centre": (98, 124, "29", 10, 6, 2, 1, 1, 0, 5),
    "Oxford Instruments Shanghai Application Lab": (20, 32, "4.3", 4, 2, 2, 1, 2, 0, 4),
    "Texas Chips Automotive Electronics Centre": (158, 188, "48", 17, 8, 1, 1, 2, 0, 6),
    "Utrecht Life Sciences Incubator": (15, 26, "2.8", 3, 1, 2, 1, 2, 3, 2),
    "Munich Industrial Software Centre": (68, 84, "19", 6, 3, 1, 0, 2, 0, 4),
    "Osaka Home Appliances Design Centre": (57, 90, "14", 8, 5, 0, 1, 1, 0, 2),
    "Lisbon Green Hydrogen Research": (25, 38, "6.4", 5, 1, 2, 1, 1, 1, 2),
}
# fmt: on

# The problems a centre met in 2025: the first line is the title of the case a tagged one
# becomes on review; None leaves it untagged (told, nothing for a bureau to do).
# fmt: off
PROBLEMS_2025 = {
    "Fjord Energy Storage Laboratory": [
        ("储能电池样品进口检验周期长 / Long inspections of imported battery samples\n"
         "每批电池样品进口检验约需四周，测试计划一再推迟。 Each shipment of battery samples takes about four "
         "weeks to clear inspection, so testing keeps slipping.", 3),
        ("研发团队招聘困难 / Hard to hire researchers\n"
         "临港生活配套不足，候选人不愿入职。 Candidates turn down offers because Lingang lacks amenities.", None),
    ],
    "Hanbit Electronics Shanghai Research Institute": [
        ("外籍专家子女入学 / Schooling for foreign experts' children\n"
         "三名新到任外籍专家的子女需要在徐汇区入读国际学校。 Three newly arrived foreign experts need "
         "international-school places in Xuhui for their children.", 7),
    ],
    "Celtic Genomics China Centre": [
        ("业务重组 / Restructuring\n"
         "总部2025年重组，部分测序项目转回欧洲。 Headquarters restructured in 2025 and moved some sequencing "
         "projects back to Europe.", None),
    ],
}
# fmt: on
NO_PROBLEMS = "无 / None."

SERVICE_VIEWS = [
    "服务专员响应及时，问题协调顺畅。 The commissioner answers quickly and coordinates well.",
    "政策宣讲很有帮助，希望增加频次。 The policy briefings help; the centre would like more of them.",
    "通关问题得到解决，希望建立常态化沟通机制。 Customs issues were solved; the centre would like regular contact.",
    "总体满意，个别事项办理周期较长。 Satisfied overall; a few matters took long to settle.",
]

# A first entry the city commissioner returns for correction before reviewing the corrected one.
CORRECTED_2025 = {
    "Texas Chips Automotive Electronics Centre": (
        {"patents_granted": 80},
        "授权专利80件与申请17件不符，请核对。 80 patents granted against 17 filed looks like a typo; please check.",
    ),
}

REVIEW_NOTES = {
    GuidanceClass.LEADING: "发展态势良好，保持常态化服务。 Developing well; routine service continues.",
    GuidanceClass.GROWING: "稳步发展，关注开放创新合作。 Steady growth; encourage more joint projects.",
    GuidanceClass.NEEDS_ATTENTION: "列入重点关注，加密走访。 Needs attention: contact more often.",
}

# centre, rule, bureau staff member, status, note
HANDLED_FINDINGS_2025 = [
    (
        "Bavaria Motion Global R&D Centre",
        "hq_startup_and_rent_subsidy",
        "staff-commerce",
        Finding.Status.ACKNOWLEDGED,
        "",
    ),
    (
        "Fjord Energy Storage Laboratory",
        "needs_attention",
        "staff-pudong-gov",
        Finding.Status.ACTED_ON,
        "区投促办走访中心并协调临港人才公寓。 The district investment office visited the centre and arranged "
        "Lingang talent apartments.",
    ),
]

CURRENT_DRAFT_CENTRE = "Helvetia Biologics Shanghai R&D Centre"
# What its commissioner has entered so far; the rest is still to come.
CURRENT_DRAFT = {
    "full_time_rd_staff": 436,
    "total_staff": 528,
    "rd_spending_cny": Decimal("91500000"),
    "patents_filed": 31,
}
CURRENT_DRAFT_PROBLEMS = [
    (
        "细胞治疗样本出境审批 / Approval to send cell-therapy samples abroad\n"
        "与总部联合研究需寄送样本，审批材料要求尚不清楚。 A joint study with headquarters needs samples sent "
        "abroad; what the approval requires is unclear.",
        3,
    ),
]
