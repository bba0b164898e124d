"""Reference data: the measures of both programmes and their responsible units.

The first unit listed is the lead unless another is marked. "district" stands for
各区政府, the government of the centre's own district. Loaded once; the routing
table is maintained in the Django admin afterwards.
"""

from django.db import migrations

DISTRICT = "district"

# number, 中文, English title, English summary, responsible units (bureau codes)
SHANGHAI_2024 = [
    (1, "支持外资研发中心加大研发投入", "Support more R&D investment",
     "City S&T programmes open to foreign-invested centres, research infrastructure, basic-research funds, "
     "joint innovation projects.",
     ["sh-science-technology", "sh-finance"]),
    (2, "鼓励外资研发中心加强开放创新", "Encourage open innovation",
     "Open platforms, proof-of-concept centres, cross-border incubation, joint labs, postdoctoral stations.",
     ["sh-science-technology", "sh-finance", "sh-tax", "sh-economy-informatization", "sh-human-resources"]),
    (3, "优化外资研发中心科研物资通关和监管流程", "Customs clearance and supervision of research materials",
     "Biomedical R&D imports, biosafety review, temporary imports extended up to 2 years, bonded R&D.",
     ["sh-customs", "sh-medical-products", "sh-commerce", "sh-science-technology", "sh-economy-informatization"]),
    (4, "支持外资研发中心研发数据依法跨境流动", "Lawful cross-border flow of R&D data",
     "Data security certification, Free Trade Zone data lists.",
     ["sh-cyberspace", "pudong-government", "lingang-administration"]),
    (5, "加大外资研发中心科技创新金融支持", "Financial support for S&T innovation",
     "Free-trade accounts, use of listing proceeds.",
     ["pbc-shanghai", "nfra-shanghai", "csrc-shanghai"]),
    (6, "提升外资研发中心知识产权保护水平", "Intellectual-property protection",
     "Patent pilot units, punitive damages, regional IP cooperation.",
     ["sh-intellectual-property", "sh-high-court"]),
    (7, "支持外资研发中心引才留才", "Attract and retain talent",
     "Professional titles, work and residence permits up to 5 years, graduates, salary FX, hukou.",
     ["sh-talent", "sh-education", "sh-human-resources", "sh-foreign-affairs", "sh-exit-entry"]),
    (8, "落实科技创新财政税收政策", "Fiscal and tax policies",
     "Duty-free research imports, VAT refunds, super deduction of R&D costs, headquarters-style start-up and "
     "rent subsidies.",
     ["sh-science-technology", "sh-finance", "sh-tax", "sh-customs", "sh-commerce"]),
    (9, "加大外资研发中心服务保障", "Service guarantees",
     "Two-level commissioners, routine contact, problem solving, policy briefings, development assessment, "
     "classified guidance.",
     ["sh-commerce", DISTRICT]),
]

GROUPS = {
    1: ("支持开展科技创新", "S&T innovation"),
    2: ("提高研发便利度", "R&D facilitation"),
    3: ("鼓励引进海外人才", "Overseas talent"),
    4: ("提升知识产权保护水平", "IP protection"),
}

# number, group, 中文, English title, responsible units, lead (None: the first)
NATIONAL_2023 = [
    (1, 1, "优化科技创新服务", "Optimise S&T innovation services",
     ["most", "mof", "mofcom", "sta", "gacc"], None),
    (2, 1, "鼓励开展基础研究", "Encourage basic research", ["most", "mofcom", "gacc"], None),
    (3, 1, "促进产学研协同创新", "Industry-university-research collaboration", ["moe", "most", "mohrss"], None),
    (4, 1, "支持设立开放式创新平台", "Open innovation platforms", ["sh-government"], None),
    (5, 1, "完善科技创新金融支持", "Financial support for S&T innovation", ["mofcom", "pbc", "cbirc"], None),
    (6, 1, "畅通参与政府项目渠道", "Access to government programmes", ["most"], None),
    (7, 2, "支持研发数据依法跨境流动", "Cross-border R&D data", ["cac", "miit", "mps"], "cac"),
    (8, 2, "优化知识产权对外转让和技术进出口管理流程", "IP transfer abroad, technology import and export",
     ["mofcom", "cnipa"], "cnipa"),
    (9, 2, "优化科研物资通关和监管流程", "Customs clearance of research materials",
     ["gacc", "most", "mara", "mofcom"], None),
    (10, 3, "提高海外人才在华工作便利度", "Work permits and residence for overseas talent",
     ["mfa", "most", "mohrss", "nia"], None),
    (11, 3, "鼓励海外人才申报专业人才职称", "Professional titles for overseas talent", ["mohrss"], None),
    (12, 3, "加强海外人才奖励资助", "Awards and funding for overseas talent", ["moe", "most", "mohrss"], None),
    (13, 3, "推动海外人才跨境资金收付便利化", "Cross-border payments for overseas talent", ["pbc", "safe"], None),
    (14, 4, "加快完善商业秘密保护规则体系", "Trade-secret protection rules",
     ["spc", "spp", "moj", "mps", "samr"], None),
    (15, 4, "加强知识产权保护中心建设", "IP protection centres", ["cnipa"], None),
    (16, 4, "提高知识产权执法水平", "IP enforcement",
     ["spc", "spp", "publicity-department", "gacc", "samr", "cnipa"], None),
]


def load(apps, schema_editor):
    Bureau = apps.get_model("commissioners", "Bureau")
    Measure = apps.get_model("cases", "Measure")
    ResponsibleUnit = apps.get_model("cases", "ResponsibleUnit")
    bureaus = {bureau.code: bureau for bureau in Bureau.objects.all()}

    def add_units(measure, codes, lead):
        if measure.responsible_units.exists():
            return
        lead = lead or codes[0]
        for order, code in enumerate(codes, start=1):
            ResponsibleUnit.objects.create(
                measure=measure,
                bureau=None if code == DISTRICT else bureaus[code],
                is_centre_district_government=code == DISTRICT,
                is_lead=code == lead,
                order=order,
            )

    for number, title_zh, title_en, summary_en, codes in SHANGHAI_2024:
        measure, _ = Measure.objects.get_or_create(
            programme="shanghai_2024",
            number=number,
            defaults={"title_zh": title_zh, "title_en": title_en, "summary_en": summary_en},
        )
        add_units(measure, codes, None)
    for number, group, title_zh, title_en, codes, lead in NATIONAL_2023:
        group_zh, group_en = GROUPS[group]
        measure, _ = Measure.objects.get_or_create(
            programme="national_2023",
            number=number,
            defaults={"title_zh": title_zh, "title_en": title_en, "group_zh": group_zh, "group_en": group_en},
        )
        add_units(measure, codes, lead)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial"), ("commissioners", "0002_reference_organisation")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
