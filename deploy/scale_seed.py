"""make scale-test's own seed, run after create_demo_data and before the servers.

The journey registers the coordinator's region for a period and submits it. The
methodology (``registration.training`` in indicators v1) makes the institute's
smart city indicator training (step 1b) *required* for every team member, so a
team without it cannot submit; the readiness training (step 1a) only warns. The
demo data enrols the region's team in a session that runs from yesterday to
tomorrow, with day 1 attended, so nobody has completed it yet.

So this gives the team what the submission needs, as the institute would: a
one-day session of the demo programme held today, taught by the demo instructor
(a direct row, as the admin's session form makes it), then the training app's
domain functions: the admin enrols every member of the team
(``start_registration`` puts each active coordinator and member of the region
on it), the instructor records them present and completes their enrolments,
which issues their training certificates. Running it twice adds nothing. It
prints one line per member with both training statuses (``scale_seed: …``) and
exits 1 when a member's indicator training is still not completed.

Usage (the environment of the app, with DJANGO_SETTINGS_MODULE set)::

    python deploy/scale_seed.py koordinator@surakarta.demo.id
"""

import argparse
import sys

import django

ADMIN = "admin@demo.ppti.id"
INSTRUCTOR = "instruktur@demo.ppti.id"
SESSION_TITLE = "Angkatan uji skala"


def seed(coordinator_email):
    from django.db import transaction
    from django.utils import timezone

    from kotacerdas.accounts.models import Role, User
    from kotacerdas.training import services
    from kotacerdas.training.models import EnrolmentState, Programme, Session
    from kotacerdas.training.status import training_status_codes

    coordinator = User.objects.select_related("region").get(email=coordinator_email)
    region = coordinator.region
    team = list(
        region.users.filter(
            is_active=True, roles__role__in=[Role.PARTICIPANT, Role.REGION_MEMBER]
        )
        .distinct()
        .order_by("full_name")
    )
    admin = User.objects.get(email=ADMIN)
    instructor = User.objects.get(email=INSTRUCTOR)
    programme = Programme.objects.filter(active=True).order_by("pk").first()
    if programme is None:
        raise SystemExit("no training programme: create_demo_data makes one")

    today = timezone.localdate()
    with transaction.atomic():
        session, created = Session.objects.get_or_create(
            programme=programme,
            title=f"{SESSION_TITLE} — {region.name}",
            defaults={
                "starts_on": today,
                "ends_on": today,
                "venue": "Ruang rapat PPTI (uji skala)",
                "capacity": max(len(team), 1),
            },
        )
        if created:
            session.instructors.add(instructor)
        enrolled = set(session.enrolments.values_list("user_id", flat=True))
        for member in team:
            if member.pk not in enrolled:
                services.enrol(session, member, actor=admin)
        waiting = list(
            session.enrolments.filter(state=EnrolmentState.ENROLLED).values_list(
                "pk", flat=True
            )
        )
        if waiting:
            services.record_attendance(session, today, waiting, actor=instructor)
            _completed, refusals = services.complete_enrolments(
                session, waiting, actor=instructor
            )
            if refusals:
                raise SystemExit("; ".join(str(r) for r in refusals))

    codes = training_status_codes(team)
    for member in team:
        # Prefixed: the console mailer prints the notifications' e-mails too.
        print(
            f"scale_seed: {member.email}: readiness {codes[member.pk]['readiness']}, "
            f"indicator training {codes[member.pk]['indicator']}"
        )
    return all(codes[m.pk]["indicator"] == "completed" for m in team)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("coordinator", help="e-mail of the journey's coordinator")
    args = parser.parse_args(argv)
    django.setup()
    return 0 if seed(args.coordinator) else 1


if __name__ == "__main__":
    sys.exit(main())
