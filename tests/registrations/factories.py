"""Builders for registrations in any state, always through the domain functions.

A registration is never put into a state by assignment here: each builder walks
the same path a coordinator and an admin would, so the rounds, snapshots and
audit events are the real ones.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.accounts.models import Role
from kotacerdas.indicators.models import Indicator
from kotacerdas.regions.models import Region
from kotacerdas.registrations import services
from kotacerdas.registrations.checklist import CHECKLIST
from kotacerdas.registrations.models import Registration, RegistrationState
from tests.factories import ParticipantFactory, UserFactory

PERIOD = 2027


def pdf_bytes(text="Dokumen uji"):
    """A small, valid one-page PDF."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_upload(name="surat.pdf", text="Dokumen uji"):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def coordinator(region_code="33.72", **kwargs):
    kwargs.setdefault("agency", "Dinas Komunikasi dan Informatika")
    kwargs.setdefault("position", "Kepala Bidang")
    return ParticipantFactory(region=Region.objects.get(code=region_code), **kwargs)


def member(region_code="33.72", **kwargs):
    kwargs.setdefault("agency", "Bappeda")
    kwargs.setdefault("position", "Analis Data")
    return UserFactory(
        region=Region.objects.get(code=region_code),
        roles=[Role.REGION_MEMBER],
        **kwargs,
    )


def admin_user(**kwargs):
    return UserFactory(roles=[Role.ADMIN], **kwargs)


def indicators(count=6, start=0):
    return list(Indicator.objects.active().order_by("sort_key")[start : start + count])


def all_passed():
    return dict.fromkeys(CHECKLIST, (True, ""))


def one_failed(code="team_decree", note="Halaman tanda tangan tidak terbaca."):
    items = all_passed()
    items[code] = (False, note)
    return items


def complete_draft(actor, *, period=PERIOD, indicator_count=6, phone="0271 123456"):
    """A draft with everything a submission needs."""
    registration = services.start_registration(
        actor=actor, region=actor.region, period=period
    )
    services.save_draft(
        registration,
        actor=actor,
        fields={"contact_phone": phone},
        indicators=indicators(indicator_count),
    )
    for field in Registration.DOCUMENT_FIELDS:
        services.attach_document(
            registration, field, pdf_upload(f"{field}.pdf", field), actor=actor
        )
    return Registration.objects.get(pk=registration.pk)


def registration_in(state, *, actor=None, admin=None, period=PERIOD):
    """A registration of ``actor``'s region brought to ``state`` by the domain
    functions. Returns ``(registration, actor, admin)``."""
    actor = actor or coordinator()
    admin = admin or admin_user()
    registration = complete_draft(actor, period=period)
    if state == RegistrationState.DRAFT:
        pass
    elif state == RegistrationState.WITHDRAWN:
        services.withdraw_registration(registration, actor=actor, note="Ditunda.")
    else:
        services.submit_registration(registration, actor=actor)
        if state == RegistrationState.RETURNED:
            services.return_registration(
                registration, actor=admin, items=one_failed(), note="Perbaiki SK."
            )
        elif state == RegistrationState.ACCEPTED:
            services.accept_registration(registration, actor=admin, items=all_passed())
        elif state == RegistrationState.REJECTED:
            services.reject_registration(
                registration, actor=admin, note="Bukan pemerintah daerah."
            )
    registration = Registration.objects.get(pk=registration.pk)
    assert registration.state == state
    return registration, actor, admin


def url(name, *args, language="en"):
    """The URL of a registrations page, in English unless told otherwise, so that
    tests can read the interface's own words."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse(f"registrations:{name}", args=args)


def text(response):
    """The response's visible text with whitespace folded, for exact phrases."""
    import re

    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def submitted_in_regions(count, *, admin=None, period=PERIOD):
    """``count`` submitted registrations, each of its own region (kota first)."""
    from kotacerdas.regions.models import RegionKind

    regions = Region.objects.filter(kind=RegionKind.CITY).order_by("code")[:count]
    registrations = []
    for region in regions:
        registration, _actor, admin = registration_in(
            RegistrationState.SUBMITTED,
            actor=coordinator(region.code),
            admin=admin,
            period=period,
        )
        registrations.append(registration)
    return registrations
