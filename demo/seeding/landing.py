"""The demo's briefings, briefing campaign and benefits, through the real services; each only
once (matched by title)."""

from datetime import date, timedelta
from decimal import Decimal

from centres.models import Centre, CentreStatus
from commissioners.models import User
from demo.data.landing import BENEFITS, BRIEFINGS, CAMPAIGN, QUESTIONS
from demo.seeding.measures import shanghai_measure
from landing.models import Benefit, Briefing, BriefingCampaign
from landing.services import benefit_record, briefing_record, campaign_create


def _audience(which: str) -> list[Centre]:
    active = Centre.objects.filter(status=CentreStatus.ACTIVE).order_by("pk")
    by_type = active.filter(centre_type=which)
    return list((by_type if by_type.exists() else active.filter(district__code=which))[:6])


def seed_landing(*, today: date) -> int:
    """Returns the briefings and benefits added."""
    added = 0
    for days_ago, format_, title, numbers, username, which in BRIEFINGS:
        centres = _audience(which)
        if not centres or Briefing.objects.filter(title=title).exists():
            continue
        question = QUESTIONS.get(title)
        briefing_record(
            actor=User.objects.get(username=username),
            held_on=today - timedelta(days=days_ago),
            format=format_,
            title=title,
            measures=[shanghai_measure(number) for number in numbers],
            centres=centres,
            questions=[{"centre": centres[0], "question": question}] if question else [],
        )
        added += 1
    title, number, centre_type = CAMPAIGN
    if not BriefingCampaign.objects.filter(title=title).exists():
        june = date(today.year, 6, 30)
        campaign_create(
            actor=User.objects.get(username="city"),
            title=title,
            measure=shanghai_measure(number),
            centre_type=centre_type,
            starts_on=date(today.year, 1, 1),
            due_on=june if june >= today else date(today.year + 1, 6, 30),
        )
    for centre_type, number, title, status, applied, decided, amount, username in BENEFITS:
        actor = User.objects.get(username=username)
        centre = Centre.objects.filter(status=CentreStatus.ACTIVE, centre_type=centre_type)
        if actor.district_id:
            centre = centre.filter(district_id=actor.district_id)
        centre = centre.order_by("pk").first()
        if centre is None or Benefit.objects.filter(title=title).exists():
            continue
        benefit_record(
            actor=actor,
            centre=centre,
            measure=shanghai_measure(number),
            title=title,
            status=status,
            applied_on=today - timedelta(days=applied) if applied is not None else None,
            decided_on=today - timedelta(days=decided) if decided is not None else None,
            amount=Decimal(amount) if amount else None,
        )
        added += 1
    return added
