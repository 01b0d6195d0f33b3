import logging

from django.tasks import task

from kotacerdas.certificates.models import Certificate

logger = logging.getLogger(__name__)


@task()
def render_certificate_pdf(certificate_id):
    """Produce the PDF of a newly issued certificate; running twice is harmless."""
    from kotacerdas.certificates.services import ensure_pdf

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        logger.warning("certificate %s is gone; no PDF produced", certificate_id)
        return False
    ensure_pdf(certificate)
    return True
