"""The write side of the dashboards' assessment results: the summary tables PostgreSQL's triggers keep
(migration centres 0008) rebuilt from every assessment and finding. The read side is
`dashboards.centre_figures`."""

from django.db import connection, transaction


@transaction.atomic
def rebuild_assessment_figures() -> None:
    """Empties the assessment summary tables and sums them again from every assessment and finding:
    after a bulk load with the triggers off, or to prove that the triggers kept them exact."""
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE centres_assessment, centres_finding IN SHARE MODE")
        cursor.execute("TRUNCATE centres_assessmentfigure, centres_findingfigure, centres_eligibilityfigure")
        cursor.execute(
            "SELECT centres_assessment_figure_apply('{}', ARRAY(SELECT a FROM centres_assessment AS a))"
        )
        cursor.execute(
            "SELECT centres_finding_figure_apply(ARRAY("
            "SELECT ROW(a.cycle_id, a.district_id, f.bureau_id, f.rule, f.status, f.assessment_id, 1)"
            "::centres_finding_fact "
            "FROM centres_finding AS f JOIN centres_assessment AS a ON a.id = f.assessment_id))"
        )
