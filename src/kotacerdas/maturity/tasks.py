"""Background work of the maturity stage: the report's PDF."""

import logging

from django.tasks import task

from kotacerdas.maturity.models import MaturityReport

logger = logging.getLogger(__name__)


@task()
def render_report_pdf(report_id):
    """Produce the PDF of a newly published report; running twice is harmless."""
    from kotacerdas.maturity.pdf import ensure_report_pdf

    report = MaturityReport.objects.filter(pk=report_id).first()
    if report is None:
        logger.warning("report %s is gone; no PDF produced", report_id)
        return False
    ensure_report_pdf(report)
    return True
