from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "kotacerdas.training"
    verbose_name = _("Training")

    def ready(self):
        from kotacerdas.registrations.checklist import (
            SUBMISSION_CHECKS,
            register_submission_check,
        )
        from kotacerdas.registrations.team import TRAINING_STATUS_PROVIDERS
        from kotacerdas.training import services  # noqa: F401 -- audit sentences
        from kotacerdas.training.status import (
            check_team_trainings,
            training_statuses,
        )

        # ready() may run twice (tests reload apps); register each hook once.
        if training_statuses not in TRAINING_STATUS_PROVIDERS:
            TRAINING_STATUS_PROVIDERS.append(training_statuses)
        if check_team_trainings not in SUBMISSION_CHECKS:
            register_submission_check(check_team_trainings)
