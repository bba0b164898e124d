"""The dashboard's tables as downloads: each named table from the section that holds its figures."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from core.spreadsheets import Table

from .sections import (
    DashboardRequest,
    assessments_section,
    cases_section,
    contacts_section,
    landing_section,
    rankings_section,
)

RATES = ("response", "resolution", "satisfaction")


def _rate_header(name: str) -> list[str]:
    return [name, _("%(rate)s: numerator") % {"rate": name}, _("%(rate)s: denominator") % {"rate": name}]


def _rate_cells(rate: dict) -> list:
    return [rate["display"], rate["numerator"], rate["denominator"]]


def _rate_names() -> list[str]:
    return [_("response rate"), _("resolution rate"), _("satisfaction rate")]


def _ranking_table(title: str, unit: str, units: list[dict]) -> Table:
    header = [_("rank"), _("code"), unit]
    for name in _rate_names():
        header += _rate_header(name)
    header += [_("score"), _("returns"), _("overdue now")]
    return Table(
        title=title,
        header=header,
        rows=[
            [row["rank"], row["code"], row["label"]]
            + [cell for key in RATES for cell in _rate_cells(row[key])]
            + [row["score"], row["returns"], row["overdue_now"]]
            for row in units
        ],
    )


def _bureaus(section: dict) -> Table:
    return _ranking_table(_("Bureaus"), _("bureau"), section["bureaus"])


def _districts(section: dict) -> Table:
    return _ranking_table(_("Districts"), _("district"), section["districts"])


def _measures(section: dict) -> Table:
    return Table(
        title=_("Cases by measure"),
        header=[_("measure"), _("cases logged")],
        rows=[[row["label"], row["count"]] for row in section["volume"]["by_measure"]],
    )


def _states(section: dict) -> Table:
    return Table(
        title=_("Cases by state"),
        header=[_("state"), _("cases logged")],
        rows=[[row["label"], row["count"]] for row in section["volume"]["by_state"]],
    )


def _trend(section: dict) -> Table:
    header = [_("month"), _("cases logged"), _("answered"), _("closed")]
    for name in _rate_names():
        header += _rate_header(name)
    return Table(
        title=_("Monthly trend"),
        header=header,
        rows=[
            [row["month"], row["logged"], row["answered"], row["closed"]]
            + [cell for key in RATES for cell in _rate_cells(row[key])]
            for row in section["trend"]
        ],
    )


def _coverage_header(first: list[str]) -> list[str]:
    return [*first, *_rate_header(_("contact coverage")), _("overdue contacts")]


def _contacts_by_district(section: dict) -> Table:
    return Table(
        title=_("Contact coverage by district"),
        header=_coverage_header([_("code"), _("district")]),
        rows=[
            [row["code"], row["label"], *_rate_cells(row["coverage"]), row["overdue"]]
            for row in section["by_district"]
        ],
    )


def _contacts_by_commissioner(section: dict) -> Table:
    return Table(
        title=_("Contact coverage by commissioner"),
        header=_coverage_header([_("commissioner"), _("district")]),
        rows=[
            [row["label"], row["district"], *_rate_cells(row["coverage"]), row["overdue"]]
            for row in section["by_commissioner"]
        ],
    )


def _assessment_classes(section: dict) -> Table:
    return Table(
        title=_("Assessment classes by district"),
        header=[
            _("code"),
            _("district"),
            _("leading"),
            _("growing"),
            _("needs attention"),
            _("unclassified"),
            _("total"),
        ],
        rows=[
            [
                row["code"],
                row["label"],
                row["leading"],
                row["growing"],
                row["needs_attention"],
                row["unclassified"],
                row["total"],
            ]
            for row in section["classes_by_district"]
        ],
    )


def _indicators(section: dict) -> Table:
    return Table(
        title=_("Indicator totals"),
        header=[_("indicator"), _("total"), _("previous cycle"), _("change")],
        rows=[
            [row["label"], row["total"], row["previous"], row["change"]]
            for row in section["indicator_totals"]
        ],
    )


def _findings(section: dict) -> Table:
    return Table(
        title=_("Findings by bureau"),
        header=[_("code"), _("bureau"), _("findings"), _("acknowledged"), _("acted on")],
        rows=[
            [row["code"], row["label"], row["total"], row["acknowledged"], row["acted_on"]]
            for row in section["findings_by_bureau"]
        ],
    )


def _landing_coverage(section: dict) -> Table:
    return Table(
        title=_("Briefing coverage"),
        header=[
            _("programme"),
            _("measure"),
            _("code"),
            _("district"),
            _("active centres"),
            *_rate_header(_("briefed")),
            _("eligible"),
            *_rate_header(_("eligible and briefed")),
        ],
        rows=[
            [
                row["programme"],
                row["number"],
                row["district"],
                row["district_label"],
                row["active_centres"],
                *_rate_cells(row["briefed_share"]),
                row["eligible"],
                *_rate_cells(row["eligible_briefed_share"]),
            ]
            for row in section["coverage"]
        ],
    )


def _landing_funnel(section: dict) -> Table:
    return Table(
        title=_("Landing funnel"),
        header=[_("programme"), _("measure"), _("eligible"), _("briefed"), _("applied"), _("granted")],
        rows=[
            [row["programme"], row["number"], row["eligible"], row["briefed"], row["applied"], row["granted"]]
            for row in section["funnel"]
        ],
    )


def _policy_issues(section: dict) -> Table:
    issues = section["policy_issues"]["issues"]
    return Table(
        title=_("Open policy issues"),
        header=[
            _("number"),
            _("title"),
            _("measure"),
            _("state"),
            _("lead bureau"),
            _("cases"),
            _("days open"),
            _("answer by"),
            _("overdue"),
            _("under supervision"),
        ],
        rows=[
            [
                issue["id"],
                issue["title"],
                issue["measure"],
                issue["state_label"],
                issue["lead_bureau"],
                issue["cases"],
                issue["age_days"],
                issue["answer_due_on"].isoformat() if issue["answer_due_on"] else "",
                _("yes") if issue["is_overdue"] else _("no"),
                _("yes") if issue["is_supervised"] else _("no"),
            ]
            for issue in issues
        ],
    )


# Table name → (section it reads, how it is laid out).
TABLES: dict[str, tuple[str, Callable[[dict], Table]]] = {
    "bureaus": ("rankings", _bureaus),
    "districts": ("rankings", _districts),
    "measures": ("cases", _measures),
    "states": ("cases", _states),
    "trend": ("cases", _trend),
    "contacts_by_district": ("contacts", _contacts_by_district),
    "contacts_by_commissioner": ("contacts", _contacts_by_commissioner),
    "assessment_classes": ("assessments", _assessment_classes),
    "indicators": ("assessments", _indicators),
    "findings": ("assessments", _findings),
    "landing_coverage": ("landing", _landing_coverage),
    "landing_funnel": ("landing", _landing_funnel),
    "policy_issues": ("landing", _policy_issues),
}


def dashboard_tables(names: list[str], *, params, user) -> list[Table]:
    """The named tables for this user and these parameters; each section is computed once."""
    sections: dict[str, dict] = {}

    def section(name: str) -> dict:
        if name not in sections:
            if name in ("cases", "rankings"):
                request = DashboardRequest.from_params(params, user=user)
                sections[name] = (
                    cases_section(request) if name == "cases" else rankings_section(request, params)
                )
            elif name == "contacts":
                sections[name] = contacts_section(params, user=user)
            elif name == "landing":
                sections[name] = landing_section(params, user=user)
            else:
                sections[name] = assessments_section(params, user=user)
        return sections[name]

    return [layout(section(source)) for source, layout in (TABLES[name] for name in names)]
