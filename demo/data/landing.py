"""The demo's policy landing: briefings given, a campaign, benefits received."""

# (days ago, format, title, measure numbers, who gave it, which centres: a centre type or a district)
BRIEFINGS = [
    (
        30,
        "seminar",
        "Measure 8 seminar: the headquarters subsidies and the R&D super deduction",
        (8,),
        "city",
        "global_rd_centre",
    ),
    (
        12,
        "meeting",
        "Customs briefing: research materials and the biomedical imports pilot",
        (3,),
        "staff-customs",
        "pudong",
    ),
    (5, "visit", "政策宣讲：人才引进与外籍人才工作许可", (7,), "dc-xuhui", "xuhui"),
]
QUESTIONS = {
    "Measure 8 seminar: the headquarters subsidies and the R&D super deduction": (
        "Does the rent subsidy cover a second laboratory floor leased this year?"
    ),
}
CAMPAIGN = ("Every global R&D centre briefed on measure 8 by June", 8, "global_rd_centre")
# (centre type to pick the first of, measure, title, status, days since applying, days since the decision, amount, bureau)
BENEFITS = [
    (
        "global_rd_centre",
        8,
        "Regional headquarters rent subsidy",
        "granted",
        60,
        10,
        "1200000.00",
        "staff-commerce",
    ),
    ("global_rd_centre", 8, "R&D super deduction 2025", "applied", 20, None, None, "city"),
    (
        "rd_centre",
        7,
        "Five-year work permits for two foreign experts",
        "considering",
        None,
        None,
        None,
        "dc-xuhui",
    ),
]
