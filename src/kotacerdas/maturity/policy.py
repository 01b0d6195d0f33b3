"""Who may see the published results: the admin's policy and each region's consent.

Both are configuration that changes what the public pages, the downloads and
the API show (``results.public_reports``), so every change is audited with
what it was before; the history models keep every version as well.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import Role, User
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.workflow import WorkflowError, require
from kotacerdas.maturity.models import (
    PublicationConsent,
    PublicationMode,
    PublicationPolicy,
)

logger = logging.getLogger(__name__)

register_actions(
    {
        "maturity.policy_changed": gettext_lazy("changed the publication policy"),
        "maturity.consent_given": gettext_lazy(
            "consented to the publication of the results"
        ),
        "maturity.consent_withdrawn": gettext_lazy(
            "withdrew the consent to publish the results"
        ),
    }
)


def _describe(policy):
    return {"mode": policy.mode, "require_consent": policy.require_consent}


@transaction.atomic
def set_policy(*, actor, mode, require_consent, note=""):
    """The admin sets which published results are public.

    Side effects: locks and updates the single policy row (its history gains a
    version) and records ``maturity.policy_changed`` on it with the old and the
    new settings. Setting what is already set changes and records nothing.
    """
    policy = PublicationPolicy.current()
    require(actor, "maturity.set_publication_policy", policy)
    if mode not in PublicationMode.values:
        raise WorkflowError(_("Choose which results to publish."))

    policy = PublicationPolicy.objects.select_for_update().get(pk=policy.pk)
    before = _describe(policy)
    if before == {"mode": mode, "require_consent": require_consent}:
        return policy

    policy.mode = mode
    policy.require_consent = require_consent
    policy.updated_by = actor
    policy.updated_at = timezone.now()
    policy.save()

    record(
        actor=actor,
        action="maturity.policy_changed",
        obj=policy,
        from_state=before["mode"],
        to_state=mode,
        note=note,
        data={"before": before, "after": _describe(policy)},
    )
    logger.info("publication policy now %s", _describe(policy))
    return policy


@transaction.atomic
def set_consent(region, *, actor, consented):
    """The coordinator gives (``consented=True``) or withdraws the region's
    consent to publish its results.

    Side effects: creates or locks and updates the region's consent row (its
    history gains a version), records ``maturity.consent_given`` or
    ``maturity.consent_withdrawn`` on it, and tells the admins. Giving what is
    already given (or withdrawing what is not given) changes and records nothing.
    """
    require(actor, "maturity.set_publication_consent", region)

    consent, _created = PublicationConsent.objects.get_or_create(region=region)
    consent = PublicationConsent.objects.select_for_update().get(pk=consent.pk)
    # No consent is the default: refusing what was never given changes nothing.
    if consent.consented == consented:
        return consent

    before = consent.consented
    consent.consented = consented
    consent.by = actor
    consent.at = timezone.now()
    consent.save()

    action = "maturity.consent_given" if consented else "maturity.consent_withdrawn"
    record(
        actor=actor,
        action=action,
        obj=consent,
        from_state="consented" if before else "not consented",
        to_state="consented" if consented else "not consented",
    )
    admins = User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct()
    if consented:
        subject = gettext_lazy("%(region)s consents to publishing its results")
        body = gettext_lazy(
            "%(region)s now allows its published Maturity Index results on the "
            "public pages and in the open data, as the publication policy allows."
        )
    else:
        subject = gettext_lazy("%(region)s withdrew its publication consent")
        body = gettext_lazy(
            "The results of %(region)s are no longer on the public pages or in "
            "the open data while the policy requires consent."
        )
    notify(admins, action=action, subject=subject, body=body, params={"region": region})
    logger.info("publication consent of %s: %s", region.code, consented)
    return consent


def consent_of(region):
    """The region's consent row, or an unsaved one that says no."""
    return PublicationConsent.objects.filter(region=region).first() or (
        PublicationConsent(region=region, consented=False)
    )
