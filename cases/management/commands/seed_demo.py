"""Loads a bilingual demo data set: one user per role, a few dozen centres, cases, contacts,
development assessments and what the sweeps make of them (due and overdue follow-ups,
notifications).

Assessments: a past cycle ("2025 annual") entered, submitted and reviewed through the
services, so centres have their guidance class, findings reach the bureaus and problems
tagged with a measure became cases; its case figures come from a few cases dated 2025.
And the current cycle ("2026 annual"), opened today, with one assessment being filled in.

Idempotent: rows are matched by username and by (district, English name), cases by centre
and title, contacts are only recorded for centres that have none, cycles by name,
assessments are only entered while still open and empty, findings only handled while open,
and the sweeps are idempotent, so running it again the same day changes nothing.
"""

import os
import sys
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.deadlines import due_after
from cases.models import Case, CaseSource, CaseState, DeadlineRule, Measure, Programme
from cases.services import scheduling as case_scheduling
from cases.services._base import sync_assignments
from centres import scheduling as centre_scheduling
from centres.assessments import (
    INDICATOR_FIELDS,
    assessment_return,
    assessment_review,
    assessment_submit,
    assessment_update,
    chase_assessments,
    finding_handle,
    open_cycle,
    open_due_cycles,
)
from centres.models import (
    Assessment,
    AssessmentCycle,
    AssessmentState,
    Centre,
    CentreType,
    ContactKind,
    ContactPerson,
    ContactRecord,
    Finding,
    FollowUp,
    GuidanceClass,
    ResearchField,
)
from centres.services import contact_record_create
from commissioners.models import Bureau, District, Notification, Role, User

DEMO_PASSWORD = "demo-commissioner-2026"

DISTRICTS_WITH_COMMISSIONERS = [
    "pudong",
    "xuhui",
    "minhang",
    "jingan",
    "changning",
    "jiading",
    "yangpu",
    "huangpu",
]

BUREAU_STAFF = [
    ("staff-commerce", "sh-commerce", "王", "Lei"),
    ("staff-science", "sh-science-technology", "李", "Na"),
    ("staff-customs", "sh-customs", "张", "Wei"),
    ("staff-pudong-gov", "pudong-government", "陈", "Jing"),
]

GLOBAL, REGIONAL, RD, PLATFORM = (
    CentreType.GLOBAL_RD_CENTRE,
    CentreType.REGIONAL_RD_CENTRE,
    CentreType.RD_CENTRE,
    CentreType.OPEN_INNOVATION_PLATFORM,
)

# English name, 中文名, parent company, country, district, type, fields, FTZ, Lingang, Zhangjiang,
# full-time R&D staff, total staff, recognised
# fmt: off
CENTRES = [
    ("Helvetia Biologics Shanghai R&D Centre", "赫尔维蒂亚生物上海研发中心", "Helvetia Biologics AG", "CH", "pudong", GLOBAL, ["biomedicine"], True, False, True, 420, 510, "2012-05-18"),
    ("Nordhavn Pharma China Innovation Centre", "诺德港制药中国创新中心", "Nordhavn Pharma A/S", "DK", "pudong", REGIONAL, ["biomedicine"], True, False, True, 180, 230, "2015-09-02"),
    ("Rheinwerk Automotive Asia R&D", "莱茵沃克汽车亚洲研发中心", "Rheinwerk Automotive GmbH", "DE", "jiading", REGIONAL, ["automotive", "new-energy"], False, False, False, 650, 820, "2010-03-11"),
    ("Lumen Semiconductor Shanghai Design Centre", "流明半导体上海设计中心", "Lumen Semiconductor Inc.", "US", "pudong", GLOBAL, ["semiconductors"], True, False, True, 95, 120, "2018-11-26"),
    ("Sakura Materials Shanghai Laboratory", "樱花材料上海实验室", "Sakura Materials Co., Ltd.", "JP", "minhang", RD, ["chemicals-materials"], False, False, False, 60, 85, "2013-07-01"),
    ("Maple Medical Devices China R&D", "枫叶医疗器械中国研发中心", "Maple Medical Devices Ltd.", "CA", "minhang", RD, ["medical-devices"], False, False, False, 42, 70, "2016-04-15"),
    ("Hanbit Electronics Shanghai Research Institute", "韩光电子上海研究院", "Hanbit Electronics Co., Ltd.", "KR", "xuhui", REGIONAL, ["software-ict", "artificial-intelligence"], False, False, False, 210, 260, "2011-10-20"),
    ("Gallia Cosmetics Asia Innovation Centre", "高卢化妆品亚洲创新中心", "Gallia Cosmetiques SA", "FR", "jingan", REGIONAL, ["consumer-goods"], False, False, False, 120, 160, "2014-06-30"),
    ("Orange Polder Food Science Centre", "橙圩食品科学中心", "Orange Polder Foods N.V.", "NL", "minhang", RD, ["food-nutrition"], False, False, False, 38, 55, "2017-02-14"),
    ("Thames Aero Engineering Shanghai", "泰晤士航空工程上海研发中心", "Thames Aero Engineering plc", "GB", "pudong", RD, ["aerospace", "advanced-manufacturing"], False, True, False, 75, 110, "2019-08-08"),
    ("Alpenglow Open Innovation Hub", "阿尔卑光开放创新平台", "Alpenglow Holding AG", "AT", "yangpu", PLATFORM, ["artificial-intelligence", "software-ict"], False, False, False, 25, 40, "2021-05-20"),
    ("Danube Industrial Automation R&D", "多瑙工业自动化研发中心", "Danube Automation Kft.", "HU", "jiading", RD, ["advanced-manufacturing"], False, False, False, 48, 90, "2018-01-22"),
    ("Fjord Energy Storage Laboratory", "峡湾储能实验室", "Fjord Energy ASA", "NO", "pudong", RD, ["new-energy"], False, True, False, 30, 45, "2022-03-03"),
    ("Taipei Precision Optics Shanghai R&D", "台北精密光学上海研发中心", "Precision Optics Corp.", "TW", "songjiang", RD, ["advanced-manufacturing"], False, False, False, 55, 140, "2012-12-12"),
    ("Victoria Harbour Fintech Lab", "维港金融科技实验室", "Harbour Digital Ltd.", "HK", "huangpu", RD, ["software-ict"], False, False, False, 35, 50, "2020-09-09"),
    ("Lion City Nutrition Asia Centre", "狮城营养亚洲研发中心", "Lion City Nutrition Pte. Ltd.", "SG", "changning", REGIONAL, ["food-nutrition", "biomedicine"], False, False, False, 66, 80, "2016-11-11"),
    ("Iberia Agritech Shanghai Station", "伊比利亚农业科技上海站", "Iberia Agritech S.L.", "ES", "fengxian", RD, ["agriculture"], False, False, False, 18, 30, "2019-04-04"),
    ("Medici Design and Materials Studio", "美第奇设计与材料工作室", "Medici Materiali S.p.A.", "IT", "xuhui", RD, ["chemicals-materials", "consumer-goods"], False, False, False, 22, 35, "2017-10-10"),
    ("Baltic Clean Air Technologies", "波罗的海洁净空气技术研发中心", "Baltic Clean Air AB", "SE", "qingpu", RD, ["environment"], False, False, False, 28, 44, "2018-06-06"),
    ("Celtic Genomics China Centre", "凯尔特基因组学中国中心", "Celtic Genomics Ltd.", "IE", "pudong", REGIONAL, ["biomedicine"], True, False, True, 140, 175, "2015-02-27"),
    ("Bavaria Motion Global R&D Centre", "巴伐利亚运动全球研发中心", "Bavaria Motion SE", "DE", "jiading", GLOBAL, ["automotive", "artificial-intelligence"], False, False, False, 880, 1050, "2009-09-19"),
    ("Pacific Cloud Shanghai AI Lab", "太平洋云上海人工智能实验室", "Pacific Cloud Corp.", "US", "xuhui", GLOBAL, ["artificial-intelligence", "software-ict"], False, False, False, 310, 360, "2017-07-07"),
    ("Kyoto Fine Chemicals Application Centre", "京都精细化工应用中心", "Kyoto Fine Chemicals K.K.", "JP", "jinshan", RD, ["chemicals-materials"], False, False, False, 44, 120, "2011-01-18"),
    ("Flanders Vaccines Research Centre", "佛兰德疫苗研究中心", "Flanders Vaccines NV", "BE", "pudong", GLOBAL, ["biomedicine"], True, False, True, 52, 70, "2020-12-01"),
    ("Helsinki Mobile Networks R&D", "赫尔辛基移动网络研发中心", "Helsinki Networks Oyj", "FI", "pudong", REGIONAL, ["software-ict"], True, False, False, 400, 450, "2008-05-05"),
    ("Zurich Robotics Open Platform", "苏黎世机器人开放创新平台", "Zurich Robotics AG", "CH", "minhang", PLATFORM, ["advanced-manufacturing", "artificial-intelligence"], False, False, False, 34, 48, "2022-08-18"),
    ("Lyon Diagnostics China Lab", "里昂诊断中国实验室", "Lyon Diagnostics SA", "FR", "changning", RD, ["medical-devices", "biomedicine"], False, False, False, 27, 40, "2019-11-19"),
    ("Seoul Battery Materials Institute", "首尔电池材料研究院", "Seoul Battery Materials Co., Ltd.", "KR", "pudong", RD, ["new-energy", "chemicals-materials"], False, True, False, 90, 130, "2021-01-25"),
    ("Copenhagen Enzymes Asia Centre", "哥本哈根酶制剂亚洲中心", "Copenhagen Enzymes A/S", "DK", "minhang", REGIONAL, ["food-nutrition", "environment"], False, False, False, 100, 125, "2013-03-30"),
    ("Oxford Instruments Shanghai Application Lab", "牛津仪器上海应用实验室", "Oxbridge Scientific plc", "GB", "yangpu", RD, ["advanced-manufacturing"], False, False, False, 20, 32, "2018-09-28"),
    ("Texas Chips Automotive Electronics Centre", "德州芯片汽车电子中心", "Texas Chips Inc.", "US", "pudong", RD, ["semiconductors", "automotive"], True, False, True, 160, 190, "2014-10-16"),
    ("Utrecht Life Sciences Incubator", "乌得勒支生命科学孵化平台", "Utrecht Life Sciences B.V.", "NL", "xuhui", PLATFORM, ["biomedicine"], False, False, False, 15, 26, "2023-02-20"),
    ("Munich Industrial Software Centre", "慕尼黑工业软件中心", "Munich Industrial Software GmbH", "DE", "jingan", RD, ["software-ict", "advanced-manufacturing"], False, False, False, 70, 85, "2016-06-16"),
    ("Osaka Home Appliances Design Centre", "大阪家电设计中心", "Osaka Home Appliances Co.", "JP", "changning", RD, ["consumer-goods"], False, False, False, 58, 90, "2012-08-21"),
    ("Sydney Marine Biotech Lab", "悉尼海洋生物技术实验室", "Sydney Marine Biotech Pty Ltd", "AU", "chongming", RD, ["biomedicine", "agriculture"], False, False, False, 12, 20, "2020-05-15"),
    ("Lisbon Green Hydrogen Research", "里斯本绿氢研究中心", "Lisbon Green Energy S.A.", "PT", "pudong", RD, ["new-energy"], False, True, False, 26, 38, "2023-07-03"),
]
# fmt: on

CONTACT_TITLES = [("研发总监", "R&D Director"), ("政府事务经理", "Government Affairs Manager")]


def shanghai_measure(number: int) -> Measure:
    return Measure.objects.get(programme=Programme.SHANGHAI_2024, number=number)


class Command(BaseCommand):
    help = "Load the bilingual demo data set (users for every role, centres across districts)."

    def handle(self, *args, **options):
        # Written out only once the data is committed: a reader that stops early (`| head`)
        # breaks the pipe, and inside the transaction that rolled the whole demo back.
        with transaction.atomic():
            lines = self._seed()
        try:
            for line in lines:
                self.stdout.write(line)
        except BrokenPipeError:
            # The data is in; the rest of the summary has nobody to read it.
            _silence_stdout()

    def _seed(self) -> list[str]:
        """Loads the data set; returns the summary to print."""
        logins = self._users()
        created = self._centres()
        # The 2025 cases before the assessments, so the reviewed 2025 ones count them.
        cases_created = self._cases() + self._cases_2025()
        contacts_added = self._contacts()
        today = timezone.localdate()
        # After the contacts: a review sets the centre's guidance class, which the contact sweep reads.
        self._assessments(today=today)
        self._missed_callback(today=today)
        _run_sweeps(today=today)
        lines = [
            self.style.SUCCESS(
                f"Demo data ready ({created} centres and {cases_created} cases added; "
                f"{Centre.objects.count()} centres and {Case.objects.count()} cases in all)."
            )
        ]
        open_follow_ups = FollowUp.objects.filter(closed_at__isnull=True)
        lines.append(
            self.style.SUCCESS(
                f"Follow-ups ready ({contacts_added} contacts added; "
                f"{ContactRecord.objects.count()} contacts, {open_follow_ups.count()} open follow-ups "
                f"({open_follow_ups.filter(due_on__lt=today).count()} overdue) and "
                f"{Notification.objects.count()} notifications in all)."
            )
        )
        lines.append(self.style.SUCCESS(_assessments_summary()))
        lines.append(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        lines += [f"  {username:<20} {role:<24} {scope}" for username, role, scope in logins]
        return lines

    def _users(self) -> list[tuple[str, str, str]]:
        logins = []
        _demo_user("admin", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True, first_name="Admin")
        logins.append(("admin", Role.ADMINISTRATOR.value, "Django admin at /admin/"))
        _demo_user("city", role=Role.CITY_COMMISSIONER, first_name="市级专员", language="zh-hans")
        logins.append(("city", Role.CITY_COMMISSIONER.value, "all districts"))
        _demo_user("manager", role=Role.MANAGER, first_name="Manager", language="en")
        logins.append(("manager", Role.MANAGER.value, "read-only, all districts; /dashboard/"))
        pudong = District.objects.get(code="pudong")
        _demo_user("manager-pudong", role=Role.MANAGER, district=pudong, first_name="浦东新区领导")
        logins.append(("manager-pudong", Role.MANAGER.value, "read-only, Pudong only; /dashboard/"))
        for code in DISTRICTS_WITH_COMMISSIONERS:
            district = District.objects.get(code=code)
            _demo_user(
                f"dc-{code}", role=Role.DISTRICT_COMMISSIONER, district=district, first_name=district.name_zh
            )
            logins.append((f"dc-{code}", Role.DISTRICT_COMMISSIONER.value, district.name_en))
        for username, bureau_code, family_name, given_name in BUREAU_STAFF:
            bureau = Bureau.objects.get(code=bureau_code)
            _demo_user(
                username, role=Role.BUREAU_STAFF, bureau=bureau, last_name=family_name, first_name=given_name
            )
            logins.append((username, Role.BUREAU_STAFF.value, bureau.name_en))
        return logins

    def _centres(self) -> int:
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
        return created

    def _cases(self) -> int:
        """Cases in every state, walked through the real services so their history is true."""
        users = {user.username: user for user in User.objects.filter(username__in=DEMO_CASE_USERS)}
        created = 0
        for centre_name, measure_number, title, description, final_state, urgency, confidential in CASES:
            centre = Centre.objects.get(name_en=centre_name)
            if Case.objects.filter(centre=centre, title=title).exists():
                continue
            commissioner = users[f"dc-{centre.district.code}"]
            case = services.case_submit(
                actor=commissioner,
                centre=centre,
                measure=shanghai_measure(measure_number),
                title=title,
                description=description,
                urgency=urgency,
                is_confidential=confidential,
            )
            _walk(case, final_state, commissioner=commissioner, city=users["city"], staff=users)
            created += 1
        return created

    def _cases_2025(self) -> int:
        """Last year's cases, so the reviewed 2025 assessments have case figures: walked through
        the real services, then moved back to their 2025 dates (see `_backdate_2025`)."""
        users = {user.username: user for user in User.objects.filter(username__in=DEMO_CASE_USERS)}
        created = 0
        for (
            centre_name,
            measure_number,
            title,
            description,
            logged_on,
            urgency,
            answer_days,
            satisfaction,
        ) in CASES_2025:
            centre = Centre.objects.get(name_en=centre_name)
            if Case.objects.filter(centre=centre, title=title).exists():
                continue
            commissioner = users[f"dc-{centre.district.code}"]
            case = services.case_submit(
                actor=commissioner,
                centre=centre,
                measure=shanghai_measure(measure_number),
                title=title,
                description=description,
                urgency=urgency,
            )
            if satisfaction is None:
                case = services.case_withdraw(
                    case=case, actor=commissioner, reason="中心已自行解决 / Solved by the centre itself."
                )
            else:
                _walk(case, "answered", commissioner=commissioner, city=users["city"], staff=users)
                case = services.case_record_callback(
                    case=Case.objects.get(pk=case.pk),
                    actor=commissioner,
                    resolved=True,
                    satisfaction=satisfaction,
                    note="回访企业 / Called the centre back.",
                )
            _backdate_2025(case, logged_on=date.fromisoformat(logged_on), answer_days=answer_days)
            created += 1
        return created

    def _contacts(self) -> int:
        """Past contacts through the real service, by the centre's commissioner (or the city's
        where the district has none); centres with contacts already are left alone."""
        city = User.objects.get(username="city")
        today = timezone.localdate()
        for guidance_class, names in GUIDANCE_CLASSES.items():
            Centre.objects.filter(name_en__in=names, guidance_class=GuidanceClass.UNCLASSIFIED).update(
                guidance_class=guidance_class
            )
        centres = Centre.objects.filter(name_en__in=CONTACTS_DAYS_AGO).select_related("commissioner")
        contacted = set(ContactRecord.objects.values_list("centre_id", flat=True).distinct())
        created = 0
        for index, centre in enumerate(sorted(centres, key=lambda c: c.name_en)):
            if centre.pk in contacted:
                continue
            for order, days_ago in enumerate(sorted(CONTACTS_DAYS_AGO[centre.name_en], reverse=True)):
                kind, participants, summary = CONTACT_NOTES[(index * 3 + order) % len(CONTACT_NOTES)]
                contact_record_create(
                    actor=centre.commissioner or city,
                    centre=centre,
                    kind=kind,
                    contacted_on=today - timedelta(days=days_ago),
                    participants=participants,
                    summary=summary,
                )
                created += 1
        return created

    def _assessments(self, *, today: date) -> None:
        """The past cycle entered, submitted and reviewed for every centre whose district has a
        demo commissioner (the others stay open, overdue), two findings handled by their
        bureaus, and the current cycle opened with one assessment being filled in."""
        users = {user.username: user for user in User.objects.filter(username__in=DEMO_CASE_USERS)}
        past = _cycle(
            PAST_CYCLE,
            period=(date(2025, 1, 1), date(2025, 12, 31)),
            opens_on=date(2026, 1, 5),
            due_on=date(2026, 2, 27),
        )
        # open_cycle stamps it opened now, not in January. The period's case figures are those of
        # CASES_2025, the other demo cases being this year's.
        open_cycle(cycle=past)
        # Only open ones: the whole command is one transaction, so an assessment is either
        # untouched or already walked to reviewed.
        for assessment in past.assessments.filter(
            state=AssessmentState.OPEN, centre__name_en__in=ASSESSMENTS_2025
        ).select_related("centre", "district"):
            commissioner = users.get(f"dc-{assessment.district.code}")
            if commissioner is not None:
                _assess_2025(assessment, commissioner=commissioner, city=users["city"])
        for centre_name, rule, username, status, note in HANDLED_FINDINGS_2025:
            staff = users[username]
            finding = Finding.objects.filter(
                assessment__cycle=past,
                assessment__centre__name_en=centre_name,
                rule=rule,
                bureau_id=staff.bureau_id,
                status=Finding.Status.OPEN,
            ).first()
            if finding is not None:
                finding_handle(finding=finding, actor=staff, status=status, note=note)

        current = _cycle(
            CURRENT_CYCLE,
            period=(date(2026, 1, 1), date(2026, 12, 31)),
            opens_on=today,
            due_on=today + timedelta(days=30),
        )
        open_cycle(cycle=current)
        draft = (
            current.assessments.filter(
                centre__name_en=CURRENT_DRAFT_CENTRE,
                state=AssessmentState.OPEN,
                full_time_rd_staff__isnull=True,
            )
            .select_related("district")
            .first()
        )
        if draft is not None:
            assessment_update(
                assessment=draft,
                actor=users[f"dc-{draft.district.code}"],
                problems=[
                    {"description": description, "measure": shanghai_measure(number) if number else None}
                    for description, number in CURRENT_DRAFT_PROBLEMS
                ],
                **CURRENT_DRAFT,
            )

    def _missed_callback(self, *, today: date) -> None:
        """The answered demo case was answered today, so nothing would be missed: its call-back
        follow-up is opened as due yesterday, for the call-back sweep to chase."""
        case = Case.objects.filter(state=CaseState.ANSWERED, title=MISSED_CALLBACK_CASE).first()
        if case is None or FollowUp.objects.filter(kind=FollowUp.Kind.CALLBACK, case=case).exists():
            return
        FollowUp.objects.create(
            kind=FollowUp.Kind.CALLBACK,
            centre_id=case.centre_id,
            case=case,
            answer_round=case.reopen_count,
            assignee_id=case.created_by_id,
            due_on=today - timedelta(days=1),
        )


def _run_sweeps(*, today: date) -> None:
    """The beat's sweeps, once: contact and call-back follow-ups, reminders, escalation,
    assessment cycles (the past cycle's unsubmitted assessments are reported overdue)."""
    centre_scheduling.open_contact_follow_ups(today=today)
    open_due_cycles(today=today)
    chase_assessments(today=today)
    case_scheduling.open_callback_follow_ups()
    case_scheduling.chase_missed_callbacks(today=today)
    case_scheduling.remind_upcoming_deadlines(today=today)
    case_scheduling.escalate_overdue_cases(today=today)


DEMO_CASE_USERS = [
    "city",
    *(f"dc-{code}" for code in DISTRICTS_WITH_COMMISSIONERS),
    *(u[0] for u in BUREAU_STAFF),
]
STAFF_BY_BUREAU = {bureau_code: username for username, bureau_code, *_ in BUREAU_STAFF}

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


def _cycle(name: str, *, period: tuple[date, date], opens_on: date, due_on: date) -> AssessmentCycle:
    """The demo cycle of that name, created (unopened) the first time."""
    period_start, period_end = period
    cycle, _ = AssessmentCycle.objects.get_or_create(
        name=name,
        defaults={
            "period_start": period_start,
            "period_end": period_end,
            "opens_on": opens_on,
            "due_on": due_on,
        },
    )
    return cycle


def _assess_2025(assessment: Assessment, *, commissioner: User, city: User) -> None:
    """Enters the centre's 2025 figures, submits them (returned once and corrected where
    CORRECTED_2025 says so) and has the city commissioner review them."""
    name = assessment.centre.name_en
    figures = dict(zip(INDICATOR_FIELDS, ASSESSMENTS_2025[name], strict=True))
    figures["rd_spending_cny"] = Decimal(figures["rd_spending_cny"]) * 1_000_000
    problems = PROBLEMS_2025.get(name, [])
    first_entry, return_reason = CORRECTED_2025.get(name, ({}, ""))
    assessment = assessment_update(
        assessment=assessment,
        actor=commissioner,
        problems=[
            {"description": text, "measure": shanghai_measure(number) if number else None}
            for text, number in problems
        ],
        problems_met="\n".join(text.splitlines()[0] for text, _ in problems) or NO_PROBLEMS,
        centre_view_of_service=SERVICE_VIEWS[sorted(ASSESSMENTS_2025).index(name) % len(SERVICE_VIEWS)],
        **(figures | first_entry),
    )
    assessment = assessment_submit(assessment=assessment, actor=commissioner)
    if return_reason:
        assessment = assessment_return(assessment=assessment, actor=city, reason=return_reason)
        assessment = assessment_update(
            assessment=assessment, actor=commissioner, **{field: figures[field] for field in first_entry}
        )
        assessment = assessment_submit(assessment=assessment, actor=commissioner)
    assessment_review(assessment=assessment, actor=city, note=REVIEW_NOTES[assessment.guidance_class])


def _assessments_summary() -> str:
    lines = []
    for name in (PAST_CYCLE, CURRENT_CYCLE):
        assessments = Assessment.objects.filter(cycle__name=name)
        states = Counter(assessments.values_list("state", flat=True))
        classes = Counter(
            assessments.filter(state=AssessmentState.REVIEWED).values_list("guidance_class", flat=True)
        )
        lines.append(
            f"{name}: {assessments.count()} assessments ("
            + ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
            + (
                f"; reviewed as {', '.join(f'{n} {c}' for c, n in sorted(classes.items()))}"
                if classes
                else ""
            )
            + ")"
        )
    findings = Counter(Finding.objects.values_list("status", flat=True))
    return (
        f"Assessments ready ({'; '.join(lines)}; "
        f"{sum(findings.values())} findings ({', '.join(f'{n} {s}' for s, n in sorted(findings.items()))}), "
        f"{Case.objects.filter(source=CaseSource.ASSESSMENT).count()} cases logged from assessments)."
    )


def _walk(case: Case, final_state: str, *, commissioner: User, city: User, staff: dict[str, User]) -> None:
    """Moves a new case along the lifecycle until it reaches `final_state`."""
    if final_state == "submitted":
        return
    if final_state == "withdrawn":
        services.case_withdraw(
            case=case, actor=commissioner, reason="中心已自行解决 / Solved by the centre itself."
        )
        return
    if final_state == "referred_up":
        case = services.case_refer_up(
            case=case,
            actor=city,
            department=Bureau.objects.get(code="mofcom"),
            note="超出本市权限，报商务部 / Beyond the city's authority; referred to the Ministry of Commerce.",
        )
        return
    proposal = services.case_routing_proposal(case=case)
    lead = next(r.bureau for r in proposal if r.is_lead)
    co = [r.bureau for r in proposal if not r.is_lead]
    case = services.case_dispatch(case=case, actor=city, lead_bureau=lead, co_bureaus=co)
    if final_state == "dispatched":
        return
    lead_staff = _staff_of(lead, staff)
    if final_state == "returned":
        services.case_return(
            case=case, actor=lead_staff, reason="应由区政府牵头 / The district government should lead."
        )
        return
    case = services.case_accept(case=case, actor=lead_staff)
    if final_state == "supervised":
        services.case_supervise(
            case=case, actor=city, note="企业反映强烈，市级督办 / Strong concern from the centre."
        )
        return
    if final_state == "in_progress":
        return
    case = services.case_answer(
        case=case,
        actor=lead_staff,
        answer_text="已协调办理 / Coordinated and handled.",
        answer_actions="召开协调会 / Held a coordination meeting.",
        answer_outcome="solved",
    )
    if final_state == "answered":
        return
    satisfied = final_state == "closed"
    services.case_record_callback(
        case=case,
        actor=commissioner,
        resolved=satisfied,
        satisfaction="satisfied" if satisfied else "unsatisfied",
        note="回访企业 / Called the centre back.",
    )


def _backdate_2025(case: Case, *, logged_on: date, answer_days: int | None) -> None:
    """Moves a case the services just walked back to its 2025 dates: logged in the morning,
    dispatched that afternoon with the deadlines the 2025 calendar gives, accepted the next
    day, answered `answer_days` later and called back three days after that (or withdrawn
    two days after logging). The assignments' copies of the case follow (`sync_assignments`);
    the history entries keep the day they were written, being append-only."""
    zone = ZoneInfo(settings.TIME_ZONE)

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=zone)

    logged = at(logged_on, 9)
    if answer_days is None:
        closed = at(logged_on + timedelta(days=2), 10)
        Case.objects.filter(pk=case.pk).update(created_at=logged, closed_at=closed, updated_at=closed)
        return
    rule = DeadlineRule.objects.get(urgency=case.urgency)
    accept_due = due_after(start=logged_on, working_days=rule.accept_working_days)
    answer_due = due_after(start=logged_on, working_days=rule.answer_working_days)
    dispatched, accepted = at(logged_on, 15), at(logged_on + timedelta(days=1), 10)
    answered = at(logged_on + timedelta(days=answer_days), 16)
    called_back = at(logged_on + timedelta(days=answer_days + 3), 11)
    Case.objects.filter(pk=case.pk).update(
        created_at=logged,
        dispatched_at=dispatched,
        accept_due_on=accept_due.due_on,
        answer_due_on=answer_due.due_on,
        answer_due_original=answer_due.due_on,
        due_is_provisional=accept_due.is_provisional or answer_due.is_provisional,
        accepted_at=accepted,
        answered_at=answered,
        callback_at=called_back,
        closed_at=called_back,
        updated_at=called_back,
    )
    case.assignments.update(created_at=dispatched, accept_due_on=accept_due.due_on)
    case.assignments.filter(accepted_at__isnull=False).update(accepted_at=accepted)
    case.refresh_from_db()
    sync_assignments(case)


def _silence_stdout() -> None:
    """Points stdout at /dev/null, so the interpreter's last flush to the closed pipe is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _demo_user(username: str, **fields) -> User:
    """The demo user of that name, created with the demo password the first time."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@commissioners.example", **fields)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    return user


def _staff_of(bureau: Bureau, staff: dict[str, User]) -> User:
    """The demo staff member of a bureau, created on demand for bureaus without one."""
    username = STAFF_BY_BUREAU.get(bureau.code, f"staff-{bureau.code}")
    return staff.get(username) or _demo_user(username, role=Role.BUREAU_STAFF, bureau=bureau)
