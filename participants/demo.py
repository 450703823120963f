"""Demo data for people: a staff account, a citizen and participants recorded at a dialogue."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from participants import choices, services
from participants.models import Participant, User
from participants.organizations import demo as organizations_demo
from participants.roles import CONTENT_EDITORS

DEMO_STAFF_EMAIL = "equipo@demo.sermig.cl"
DEMO_CITIZEN_EMAIL = "ciudadana@demo.sermig.cl"
# Staff with one role and no superuser rights: admin as a content editor sees it (topics only).
DEMO_EDITOR_EMAIL = "editora@demo.sermig.cl"
# Dev only: the demo command refuses to run without DEBUG. Documented in the README.
DEMO_PASSWORD = "demo-sermig-2026"  # noqa: S105
# Base32 TOTP secret of the demo staff account (dev only): add it to an authenticator app, or run
# `python manage.py demo_totp` for the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


def _verified(user: User) -> None:
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def load(stdout) -> None:
    staff, created = User.objects.get_or_create(
        email=DEMO_STAFF_EMAIL,
        defaults={"name": "Equipo de Participación (demo)", "is_staff": True, "is_superuser": True},
    )
    if created:
        staff.set_password(DEMO_PASSWORD)
        staff.save(update_fields=["password"])
        staff.groups.add(Group.objects.get(name="Participation team"))
    _verified(staff)
    if not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(staff, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(staff)
    stdout.write(f"Demo staff account: {DEMO_STAFF_EMAIL} / {DEMO_PASSWORD} (development only)")
    stdout.write(f"  its TOTP secret: {DEMO_TOTP_SECRET}; current code: python manage.py demo_totp")

    editor, created = User.objects.get_or_create(
        email=DEMO_EDITOR_EMAIL, defaults={"name": "Editora de contenidos (demo)", "is_staff": True}
    )
    if created:
        editor.set_password(DEMO_PASSWORD)
        editor.save(update_fields=["password"])
        editor.groups.add(Group.objects.get(name=CONTENT_EDITORS))
    _verified(editor)
    if not Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(editor, DEMO_TOTP_SECRET)
    stdout.write(
        f"Demo content editor: {DEMO_EDITOR_EMAIL} / {DEMO_PASSWORD}, same TOTP secret (development only)"
    )

    citizen, created = User.objects.get_or_create(
        email=DEMO_CITIZEN_EMAIL, defaults={"name": "Marie Joseph", "preferred_language": "ht"}
    )
    if created:
        citizen.set_password(DEMO_PASSWORD)
        citizen.save(update_fields=["password"])
    _verified(citizen)
    if not Participant.objects.filter(user=citizen).exists():
        services.participant_record(
            user=citizen,
            consented=["gender_identity", "migration_status"],
            gender_identity=choices.GenderIdentity.WOMAN,
            migration_status=choices.MigrationStatus.TEMPORARY,
            birth_year=1991,
            nationality="HT",
            region=choices.Region.METROPOLITANA,
            commune="Estación Central",
            languages=["ht", "fr", "es"],
        )
    stdout.write(f"Demo citizen account: {DEMO_CITIZEN_EMAIL} / {DEMO_PASSWORD} (development only)")

    # People met at an in-person dialogue, recorded by staff without accounts.
    dialogue_people = [
        (
            "VE",
            choices.GenderIdentity.MAN,
            choices.Region.ANTOFAGASTA,
            "Antofagasta",
            choices.AgeBand.FROM_30,
        ),
        ("PE", choices.GenderIdentity.WOMAN, choices.Region.TARAPACA, "Iquique", choices.AgeBand.FROM_45),
        (
            "CO",
            choices.GenderIdentity.NON_BINARY,
            choices.Region.VALPARAISO,
            "Valparaíso",
            choices.AgeBand.FROM_18,
        ),
        ("BO", choices.GenderIdentity.WOMAN, choices.Region.ARICA, "Arica", choices.AgeBand.FROM_60),
    ]
    existing = Participant.objects.recorded_by_staff().count()
    for nationality, gender, region, commune, age_band in dialogue_people[existing:]:
        services.participant_record(
            consented=["gender_identity"],
            channel=choices.ConsentChannel.STAFF,
            recorded_by=staff,
            gender_identity=gender,
            nationality=nationality,
            region=region,
            commune=commune,
            age_band=age_band,
            languages=["es"],
        )

    organizations_demo.load(stdout, password=DEMO_PASSWORD)
