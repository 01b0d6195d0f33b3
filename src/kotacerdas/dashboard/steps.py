"""The eleven steps of the procedure (SPEC §3), in the order of the original."""

from django.utils.translation import gettext_lazy as _

# The eleven steps of the procedure, as the coordinator's progress line shows them.
STEPS = [
    ("1a", _("Smart City Readiness training"), _("Ministry (Litbang Kemkominfo)")),
    (
        "1b",
        _("Smart city indicator training (SNI ISO 37122:2019)"),
        _("PPTI instructor"),
    ),
    ("2", _("Fill in the registration form"), _("Participant")),
    ("3", _("Completeness check"), _("PPTI admin")),
    ("4", _("Scheduling"), _("PPTI admin")),
    ("5", _("Fill in the Smart City Readiness data"), _("Participant and team")),
    ("6", _("Readiness assessment"), _("PPTI assessor")),
    ("7", _("Readiness certificate"), _("PPTI admin")),
    ("8", _("Continue to the maturity process"), _("Participant")),
    ("9", _("Fill in the Smart City Maturity data"), _("Participant and team")),
    ("10", _("Maturity assessment"), _("PPTI assessor")),
    ("11", _("Maturity Index report and certificate"), _("PPTI admin")),
]
