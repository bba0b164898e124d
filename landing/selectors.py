"""Reads of policy landing: who may see which briefing and benefit, what each centre was briefed
on, how far a campaign has come, and each measure's landing funnel."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from assessments.eligibility import ELIGIBILITY_RULE_CODES
from assessments.models import Finding
from centres.models import Centre, CentreStatus
from centres.selectors import centre_list_visible_to
from commissioners.models import District, Role, User
from commissioners.scopes import district_in_sight, sees_the_city
from policies.models import Measure

from .models import Benefit, BenefitImport, BenefitStatus, Briefing, BriefingCampaign


def briefing_list_visible_to(*, user: User) -> QuerySet[Briefing]:
    """The city sees every briefing; a district, those its centres attended or it organised; a
    bureau, those it gave."""
    briefings = Briefing.objects.all()
    if sees_the_city(user):
        return briefings
    if district_in_sight(user) is not None:
        district = district_in_sight(user)
        attended = Briefing.centres.through.objects.filter(
            briefing_id=OuterRef("pk"), centre__district_id=district
        )
        return briefings.filter(Q(district_id=district) | Exists(attended))
    if user.role == Role.BUREAU_STAFF:
        return briefings.filter(bureau_id=user.bureau_id)
    return briefings.none()


def benefit_list_visible_to(*, user: User) -> QuerySet[Benefit]:
    """The city sees every benefit; a district, its centres'; a bureau, those it granted."""
    benefits = Benefit.objects.all()
    if sees_the_city(user):
        return benefits
    if district_in_sight(user) is not None:
        return benefits.filter(centre__district_id=district_in_sight(user))
    if user.role == Role.BUREAU_STAFF:
        return benefits.filter(granting_bureau_id=user.bureau_id)
    return benefits.none()


def centres_to_name(*, user: User) -> QuerySet[Centre]:
    """The centres a user may name as a briefing's audience or a benefit's recipient: a district
    its own; the city and the bureaus any (a bureau's seminar or grant reaches centres it has no
    case of: the registry's names are no secret, what the centres said to commissioners is)."""
    if user.role == Role.BUREAU_STAFF:
        return Centre.objects.all()
    return centre_list_visible_to(user=user)


# Who imports benefits from a bureau's spreadsheet (landing.imports checks the same roles).
BENEFIT_IMPORTER_ROLES = frozenset({Role.BUREAU_STAFF, Role.CITY_COMMISSIONER, Role.ADMINISTRATOR})


def benefit_import_list_visible_to(*, user: User) -> QuerySet[BenefitImport]:
    """The city's importers see every import; bureau staff, those of their own bureau (a report
    names the centres and the benefits of the bureau's file); nobody else any."""
    if user.role not in BENEFIT_IMPORTER_ROLES:
        return BenefitImport.objects.none()
    imports = BenefitImport.objects.select_related("uploaded_by", "imported_by").defer("content")
    if user.role == Role.BUREAU_STAFF:
        return imports.filter(bureau_id=user.bureau_id) if user.bureau_id else imports.none()
    return imports


def campaign_list_visible_to(*, user: User) -> QuerySet[BriefingCampaign]:
    """Campaigns are the city's goals, open to every commissioner and manager (not to bureaus:
    their sight of centres ends at the cases routed to them)."""
    if user.role == Role.BUREAU_STAFF:
        return BriefingCampaign.objects.none()
    return BriefingCampaign.objects.select_related("measure")


def centre_briefed_measures(*, centre: Centre) -> list[dict]:
    """Per measure the centre was briefed on: how many briefings, and the last one's day."""
    return list(
        Briefing.measures.through.objects.filter(briefing__centres=centre)
        .values("measure_id")
        .annotate(times=Count("briefing", distinct=True), last_on=Max("briefing__held_on"))
        .order_by("measure_id")
    )


@dataclass(frozen=True)
class CampaignProgress:
    aimed_at: int
    briefed: int
    by_district: list[dict]

    @property
    def share(self) -> float | None:
        return None if not self.aimed_at else round(self.briefed / self.aimed_at, 4)


def _campaign_centres(campaign: BriefingCampaign, centres: QuerySet[Centre]) -> QuerySet[Centre]:
    aimed = centres.filter(status=CentreStatus.ACTIVE)
    if campaign.centre_type:
        aimed = aimed.filter(centre_type=campaign.centre_type)
    return aimed


def campaign_progress(*, campaign: BriefingCampaign, user: User) -> CampaignProgress:
    """How many of the centres the campaign aims at (those the user sees) were briefed on its
    measure between its start and its due day, in all and per district: one grouped query."""
    briefed = Briefing.objects.filter(
        centres=OuterRef("pk"),
        measures=campaign.measure_id,
        held_on__gte=campaign.starts_on,
        held_on__lte=campaign.due_on,
    )
    rows = (
        _campaign_centres(campaign, centre_list_visible_to(user=user))
        .annotate(was_briefed=Exists(briefed))
        .values("district_id", "district__code")
        .annotate(aimed_at=Count("pk"), briefed=Count("pk", filter=Q(was_briefed=True)))
        .order_by("district__code")
    )
    by_district = [
        {
            "district": row["district_id"],
            "code": row["district__code"],
            "aimed_at": row["aimed_at"],
            "briefed": row["briefed"],
        }
        for row in rows
    ]
    return CampaignProgress(
        aimed_at=sum(row["aimed_at"] for row in by_district),
        briefed=sum(row["briefed"] for row in by_district),
        by_district=by_district,
    )


def _active_centres(user: User, district_id: int | None) -> QuerySet[Centre]:
    centres = centre_list_visible_to(user=user).filter(status=CentreStatus.ACTIVE)
    if district_id is not None:
        centres = centres.filter(district_id=district_id)
    return centres


def landing_funnel(
    *,
    user: User,
    since: date | None = None,
    until: date | None = None,
    district_id: int | None = None,
) -> list[dict]:
    """Per measure, over the active centres the user sees (of one district, if given): how many
    centres an eligibility finding named for it, how many were briefed on it, applied for it, and
    were granted it (each centre counted once per step; `since`/`until` bound the briefings' days
    and the benefits' entry days). `landing_centres_behind` lists the centres of each figure."""
    centres = _active_centres(user, district_id)
    briefing_days, benefit_days = {}, {}
    if since is not None:
        briefing_days["briefing__held_on__gte"] = since
        benefit_days["created_at__date__gte"] = since
    if until is not None:
        briefing_days["briefing__held_on__lte"] = until
        benefit_days["created_at__date__lte"] = until

    def centres_per_measure(rows: QuerySet, centre_field: str) -> dict[int, int]:
        return {
            row["measure_id"]: row["centres"]
            for row in rows.filter(**{f"{centre_field}__in": centres})
            .values("measure_id")
            .annotate(centres=Count(centre_field, distinct=True))
            .order_by()
        }

    benefits = Benefit.objects.filter(**benefit_days)
    steps = {
        "eligible": centres_per_measure(
            Finding.objects.filter(rule__in=ELIGIBILITY_RULE_CODES), "assessment__centre"
        ),
        "briefed": centres_per_measure(
            Briefing.measures.through.objects.filter(**briefing_days), "briefing__centres"
        ),
        "applied": centres_per_measure(benefits.exclude(status=BenefitStatus.CONSIDERING), "centre"),
        "granted": centres_per_measure(benefits.filter(status=BenefitStatus.GRANTED), "centre"),
    }
    return [
        {
            "measure": measure.pk,
            "programme": measure.programme,
            "number": measure.number,
            **{step: counts.get(measure.pk, 0) for step, counts in steps.items()},
        }
        for measure in Measure.objects.order_by("programme", "number")
    ]


def briefing_coverage(
    *,
    user: User,
    since: date | None = None,
    until: date | None = None,
    district_id: int | None = None,
) -> list[dict]:
    """Per measure and district, over the active centres the user sees (of one district, if
    given): the centres, those briefed on the measure (`since`/`until` bound the briefings' days),
    those an eligibility finding named for it, and those of them briefed. Grouped counts in the
    database: five queries, whatever the number of centres and briefings."""
    centres = _active_centres(user, district_id)
    days = {}
    if since is not None:
        days["briefing__held_on__gte"] = since
    if until is not None:
        days["briefing__held_on__lte"] = until
    attended = Briefing.centres.through.objects.filter(**days)

    def grouped(rows: QuerySet, measure: str, district: str, centre: str) -> dict[tuple[int, int], int]:
        counted = rows.values(measure, district).annotate(n=Count(centre, distinct=True)).order_by()
        return {(row[measure], row[district]): row["n"] for row in counted}

    briefed = grouped(
        attended.filter(centre__in=centres), "briefing__measures", "centre__district_id", "centre_id"
    )
    findings = Finding.objects.filter(rule__in=ELIGIBILITY_RULE_CODES, assessment__centre__in=centres)
    eligible = grouped(findings, "measure_id", "assessment__centre__district_id", "assessment__centre_id")
    told = attended.filter(
        centre_id=OuterRef("assessment__centre_id"), briefing__measures=OuterRef("measure_id")
    )
    eligible_briefed = grouped(
        findings.filter(Exists(told)),
        "measure_id",
        "assessment__centre__district_id",
        "assessment__centre_id",
    )
    active = {
        row["district_id"]: row["n"]
        for row in centres.values("district_id").annotate(n=Count("pk")).order_by()
    }
    districts = sorted(District.objects.filter(pk__in=active).values_list("pk", "code"), key=lambda d: d[1])
    return [
        {
            "measure": measure.pk,
            "programme": measure.programme,
            "number": measure.number,
            "district": code,
            "active_centres": active[district_id],
            "briefed": briefed.get((measure.pk, district_id), 0),
            "eligible": eligible.get((measure.pk, district_id), 0),
            "eligible_briefed": eligible_briefed.get((measure.pk, district_id), 0),
        }
        for measure in Measure.objects.order_by("programme", "number")
        for district_id, code in districts
    ]


FUNNEL_STEPS = ("eligible", "briefed", "applied", "granted")
COVERAGE_STEPS = ("active_centres", "briefed", "eligible", "eligible_briefed")
FIGURE_STEPS = frozenset({*FUNNEL_STEPS, *COVERAGE_STEPS})


def landing_centres_behind(
    *,
    user: User,
    measure: Measure,
    step: str,
    district_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Centre]:
    """The centres one figure of `landing_funnel` or `briefing_coverage` counts (a step of
    `FIGURE_STEPS`, for a measure, a district or the whole sight, a period): the same conditions
    written per centre, so the drill-down's list and the figure cannot disagree."""
    if step not in FIGURE_STEPS:
        raise ValueError(step)
    centres = _active_centres(user, district_id)
    held = {}
    if since is not None:
        held["briefing__held_on__gte"] = since
    if until is not None:
        held["briefing__held_on__lte"] = until
    briefed = Exists(
        Briefing.centres.through.objects.filter(
            centre_id=OuterRef("pk"), briefing__measures=measure.pk, **held
        )
    )
    eligible = Exists(
        Finding.objects.filter(
            assessment__centre_id=OuterRef("pk"), rule__in=ELIGIBILITY_RULE_CODES, measure_id=measure.pk
        )
    )
    benefits = Benefit.objects.filter(centre_id=OuterRef("pk"), measure_id=measure.pk)
    if since is not None:
        benefits = benefits.filter(created_at__date__gte=since)
    if until is not None:
        benefits = benefits.filter(created_at__date__lte=until)
    conditions = {
        "active_centres": Q(),
        "briefed": Q(briefed),
        "eligible": Q(eligible),
        "eligible_briefed": Q(eligible) & Q(briefed),
        "applied": Q(Exists(benefits.exclude(status=BenefitStatus.CONSIDERING))),
        "granted": Q(Exists(benefits.filter(status=BenefitStatus.GRANTED))),
    }
    return centres.filter(conditions[step])
