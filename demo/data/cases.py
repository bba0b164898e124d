"""The demo's cases (this year's and 2025's), the call-back it lets slip, and the past
contacts with the centres and their guidance classes."""

from centres.models import ContactKind, GuidanceClass

# centre, Shanghai measure, title, description, the state to walk it to, urgency, confidential
# fmt: off
CASES = [
    (
        "Helvetia Biologics Shanghai R&D Centre", 3, "科研试剂通关滞留 / Research reagents held at customs",
        "三批进口生物试剂在海关滞留超过三周，影响临床前研究进度。 Three shipments of imported reagents have been held for over three weeks.",
        "closed", "urgent", False,
    ),
    (
        "Nordhavn Pharma China Innovation Centre", 3, "研发设备暂时进境延期 / Extending temporary import of R&D equipment",
        "临时进境的检测设备即将到期，希望按政策延长至两年。 Temporarily imported equipment is due to leave; the centre asks for the 2-year extension.",
        "in_progress", "normal", False,
    ),
    (
        "Lumen Semiconductor Shanghai Design Centre", 4, "研发数据出境安全评估 / Security assessment for sending R&D data abroad",
        "设计数据需与总部共享，咨询数据出境安全评估流程。 Design data must be shared with headquarters; the centre asks how the assessment works.",
        "dispatched", "normal", True,
    ),
    (
        "Hanbit Electronics Shanghai Research Institute", 7, "外籍专家工作许可 / Work permits for foreign experts",
        "五名外籍研发人员希望办理五年期工作许可。 Five foreign researchers want five-year work permits.",
        "answered", "normal", False,
    ),
    (
        "Rheinwerk Automotive Asia R&D", 8, "研发费用加计扣除 / Super deduction of R&D costs",
        "对部分委托研发费用能否加计扣除存在疑问。 The centre is unsure whether some contracted R&D costs qualify for the super deduction.",
        "submitted", "normal", False,
    ),
    (
        "Gallia Cosmetics Asia Innovation Centre", 2, "联合实验室建设 / Setting up a joint laboratory",
        "希望与本地高校共建联合实验室，寻求政策支持。 The centre wants to build a joint laboratory with a local university.",
        "withdrawn", "normal", False,
    ),
    (
        "Bavaria Motion Global R&D Centre", 8, "总部型研发中心开办补贴 / Start-up subsidy for a headquarters-type centre",
        "全球研发中心、专职研发人员超过50人，申请开办和租房补贴。 A global centre with over 50 full-time R&D staff applies for start-up and rent subsidies.",
        "referred_up", "normal", False,
    ),
    (
        "Pacific Cloud Shanghai AI Lab", 9, "政策宣讲需求 / Request for a policy briefing",
        "希望区里组织一次面向研发团队的政策宣讲。 The centre asks the district for a policy briefing for its R&D teams.",
        "returned", "normal", False,
    ),
    (
        "Celtic Genomics China Centre", 1, "基础研究项目申报 / Applying for city basic-research funding",
        "咨询外资研发中心申报市级基础研究项目的条件。 The centre asks how a foreign-invested centre can apply for city basic-research funds.",
        "reopened", "urgent", False,
    ),
    (
        "Seoul Battery Materials Institute", 5, "自由贸易账户开立 / Opening a free-trade account",
        "希望开立自由贸易账户以便跨境研发资金结算。 The centre wants a free-trade account for cross-border R&D payments.",
        "supervised", "normal", False,
    ),
]
# fmt: on


# Last year's cases: centre, Shanghai measure, title, description, logged on, urgency, days from
# logging to the answer and the satisfaction at the call-back (None, None: withdrawn). Answers
# within 15 working days (5 when urgent) are on time; the super-deduction question was late.
# fmt: off
CASES_2025 = [
    (
        "Helvetia Biologics Shanghai R&D Centre", 3, "进口试剂通关加急 / Faster clearance of imported reagents",
        "一批临床前研究用试剂需加急通关。 A shipment of reagents for preclinical work needs faster clearance.",
        "2025-03-11", "normal", 13, "satisfied",
    ),
    (
        "Helvetia Biologics Shanghai R&D Centre", 7, "外籍研究员居留许可 / Residence permits for foreign researchers",
        "两名新到任研究员的居留许可办理较慢。 Residence permits for two newly arrived researchers are slow.",
        "2025-09-16", "normal", 7, "basically_satisfied",
    ),
    (
        "Rheinwerk Automotive Asia R&D", 8, "研发费用加计扣除口径 / What counts for the R&D super deduction",
        "委托境外研发费用能否加计扣除。 Whether R&D contracted abroad qualifies for the super deduction.",
        "2025-04-08", "normal", 41, "satisfied",
    ),
    (
        "Bavaria Motion Global R&D Centre", 1, "市级科技项目申报 / Applying for city S&T programmes",
        "咨询外资研发中心申报市级科技项目的条件。 The centre asks how to apply for city S&T programmes.",
        "2025-08-05", "normal", 13, "satisfied",
    ),
    (
        "Hanbit Electronics Shanghai Research Institute", 6, "专利侵权维权 / Enforcing a patent against a copier",
        "发现仿冒产品侵犯中心专利，咨询维权途径。 Copies of a product infringe the centre's patent; how to enforce it.",
        "2025-05-20", "normal", 14, "satisfied",
    ),
    (
        "Gallia Cosmetics Asia Innovation Centre", 2, "校企联合实验室选址 / A site for a joint lab with a university",
        "与本地高校共建实验室，寻找合适场地。 A site is needed for a laboratory built with a local university.",
        "2025-06-10", "normal", 20, "basically_satisfied",
    ),
    (
        "Sakura Materials Shanghai Laboratory", 3, "危险化学品样品进口 / Importing hazardous chemical samples",
        "研发用危险化学品样品进口审批。 Approval to import hazardous chemical samples for research.",
        "2025-07-15", "urgent", 6, "satisfied",
    ),
    (
        "Victoria Harbour Fintech Lab", 5, "跨境研发资金结算 / Settling cross-border R&D payments",
        "与香港总部之间的研发资金结算手续。 Paperwork for R&D payments to and from headquarters in Hong Kong.",
        "2025-11-04", "normal", 13, "satisfied",
    ),
    (
        "Alpenglow Open Innovation Hub", 9, "平台政策宣讲 / A policy briefing for the platform",
        "希望为入驻团队组织政策宣讲。 The platform asks for a policy briefing for its resident teams.",
        "2025-10-14", "normal", None, None,
    ),
]
# fmt: on

MISSED_CALLBACK_CASE = "外籍专家工作许可 / Work permits for foreign experts"

# Days before today of each centre's past contacts. With the default intervals (90 days;
# leading 180, needs attention 30) and a 7-day lead, some fall due within the week, some
# are overdue. Centres missing here were never contacted. The contacts of a year and more
# ago fall in the reviewed past cycle's period, whose assessments count them.
CONTACTS_DAYS_AGO = {
    "Helvetia Biologics Shanghai R&D Centre": [12, 95, 170, 400, 520],
    "Nordhavn Pharma China Innovation Centre": [8, 64],
    "Rheinwerk Automotive Asia R&D": [45, 140, 430],
    "Lumen Semiconductor Shanghai Design Centre": [176],
    "Sakura Materials Shanghai Laboratory": [130],
    "Maple Medical Devices China R&D": [86, 150],
    "Hanbit Electronics Shanghai Research Institute": [30, 110],
    "Gallia Cosmetics Asia Innovation Centre": [190],
    "Thames Aero Engineering Shanghai": [60],
    "Alpenglow Open Innovation Hub": [41],
    "Danube Industrial Automation R&D": [100, 185],
    "Fjord Energy Storage Laboratory": [25],
    "Taipei Precision Optics Shanghai R&D": [120],
    "Victoria Harbour Fintech Lab": [15],
    "Lion City Nutrition Asia Centre": [88],
    "Medici Design and Materials Studio": [52, 160],
    "Baltic Clean Air Technologies": [70],
    "Celtic Genomics China Centre": [9, 38],
    "Bavaria Motion Global R&D Centre": [60, 150, 410],
    "Pacific Cloud Shanghai AI Lab": [5, 90, 180, 380, 470, 560],
    "Kyoto Fine Chemicals Application Centre": [150],
    "Flanders Vaccines Research Centre": [33],
    "Helsinki Mobile Networks R&D": [199],
    "Lyon Diagnostics China Lab": [105],
    "Seoul Battery Materials Institute": [20, 55, 450],
    "Copenhagen Enzymes Asia Centre": [84],
    "Oxford Instruments Shanghai Application Lab": [160],
    "Texas Chips Automotive Electronics Centre": [27, 118],
    "Munich Industrial Software Centre": [95],
    "Osaka Home Appliances Design Centre": [44],
    "Lisbon Green Hydrogen Research": [18],
}

GUIDANCE_CLASSES = {
    GuidanceClass.LEADING: [
        "Helvetia Biologics Shanghai R&D Centre",
        "Lumen Semiconductor Shanghai Design Centre",
        "Bavaria Motion Global R&D Centre",
        "Helsinki Mobile Networks R&D",
    ],
    GuidanceClass.NEEDS_ATTENTION: [
        "Alpenglow Open Innovation Hub",
        "Fjord Energy Storage Laboratory",
        "Celtic Genomics China Centre",
        "Seoul Battery Materials Institute",
    ],
}

# kind, who took part, summary
# fmt: off
CONTACT_NOTES = [
    (ContactKind.VISIT, "研发总监、区投资促进办 / R&D Director, district investment office",
     "走访实验室，了解新项目进展和招聘计划。 Visited the labs; new projects and hiring plans discussed."),
    (ContactKind.CALL, "政府事务经理 / Government Affairs Manager",
     "电话回访近期经营情况，暂无新诉求。 Phone check-in on recent business; no new requests."),
    (ContactKind.MEETING, "中心总经理、研发总监 / General Manager, R&D Director",
     "座谈通关便利和研发用房需求。 Meeting on customs facilitation and the need for more lab space."),
    (ContactKind.POLICY_BRIEFING, "研发团队约30人 / About 30 members of the R&D team",
     "宣讲2024年上海支持外资研发中心若干措施。 Briefing on the 2024 Shanghai measures for foreign-invested R&D centres."),
    (ContactKind.CALL, "研发总监 / R&D Director",
     "询问研发费用加计扣除政策，已发送材料。 Asked about the R&D super deduction; material sent afterwards."),
    (ContactKind.VISIT, "政府事务经理、人事经理 / Government Affairs and HR Managers",
     "走访了解外籍人才签证和子女入学问题。 Visit on visas for foreign staff and schooling for their children."),
    (ContactKind.MEETING, "总部亚太区副总裁 / Regional Vice-President from headquarters",
     "总部来访，介绍扩大在沪研发规模的设想。 Headquarters visit; plans to expand R&D in Shanghai presented."),
]
# fmt: on

# The policy issue (共性问题) the city raised from like cases of several districts, and those cases:
# district, Shanghai measure, title, description. Routed to the routing table's proposal.
POLICY_ISSUE = (
    "研发试剂通关时间过长 / Research reagents wait too long at customs",
    "多个区的研发中心反映进口科研试剂通关时间过长，需要统一的快速通关安排。 Centres in several districts "
    "report imported research reagents waiting weeks at customs; one fast-track arrangement is needed.",
    3,
)
POLICY_ISSUE_CASES = [
    (
        "xuhui",
        3,
        "进口试剂通关时间过长 / Imported reagents slow to clear customs",
        "一批细胞培养试剂在海关等待两周以上。 A shipment of cell-culture reagents has waited over two weeks.",
    ),
    (
        "pudong",
        3,
        "科研试剂通关时间过长 / Research reagents slow to clear customs",
        "抗体试剂通关耗时三周，实验被迫推迟。 Antibody reagents took three weeks to clear; experiments slipped.",
    ),
    (
        "minhang",
        3,
        "研发试剂通关时间长 / Long customs clearance for R&D reagents",
        "进口试剂通关时间长，希望纳入白名单。 Imported reagents clear slowly; the centre asks for a white list.",
    ),
]
