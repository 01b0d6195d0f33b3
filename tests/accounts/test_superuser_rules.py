"""A superuser opens the management site, but the procedure's rules still hold."""

import pytest

from kotacerdas.accounts.models import Role
from tests.factories import UserFactory
from tests.maturity.factories_review import decided_world

pytestmark = pytest.mark.django_db


def test_a_superuser_admin_is_not_the_lead_assessor():
    w = decided_world()
    w.admin.is_superuser = True
    w.admin.is_staff = True
    w.admin.save()

    assert not w.admin.has_perm("assessments.score_stage", w.stage)
    assert not w.admin.has_perm("maturity.draft_report", w.stage)
    assert w.admin.has_perm("maturity.publish_report", w.stage)


def test_a_superuser_keeps_the_django_model_permissions():
    user = UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)

    assert user.has_perm("indicators.change_indicator")
    assert user.has_perm("auth.delete_group")
