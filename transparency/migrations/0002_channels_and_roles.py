from django.db import migrations

from participants.roles import CONTENT_EDITORS, PARTICIPATION_TEAM, grant, model_permissions, revoke

# Content editors keep the register (publications, their files and budget rows, the social channels); the
# Participation team may read it and keep it too. Versions are written by the publish/update services only.
PERMISSIONS = [
    *model_permissions("transparency", ["publication", "attachment", "budgetrow", "socialchannel"]),
    *model_permissions("transparency", ["publicationversion"], ["view"]),
]

# SERMIG's channels when the register started; staff keep them in admin from then on.
CHANNELS = [
    ("X (Twitter)", "https://x.com/migracioneschile", "x"),
    ("Facebook", "https://www.facebook.com/serviciomigraciones", "facebook"),
    ("Instagram", "https://www.instagram.com/migracioneschile/", "instagram"),
    ("YouTube", "https://www.youtube.com/@serviciomigraciones", "youtube"),
    ("LinkedIn", "https://www.linkedin.com/company/servicio-nacional-de-migraciones", "linkedin"),
]


def forwards(apps, schema_editor):
    for role in (CONTENT_EDITORS, PARTICIPATION_TEAM):
        grant(apps, role, PERMISSIONS)
    SocialChannel = apps.get_model("transparency", "SocialChannel")
    for order, (name, url, icon) in enumerate(CHANNELS, start=1):
        SocialChannel.objects.get_or_create(
            url=url, defaults={"name": name, "name_es": name, "icon": icon, "order": order}
        )


def backwards(apps, schema_editor):
    for role in (CONTENT_EDITORS, PARTICIPATION_TEAM):
        revoke(apps, role, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("transparency", "0001_initial"),
        ("participants", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
