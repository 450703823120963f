from django.db import migrations

from participants.roles import CONTENT_EDITORS, PARTICIPATION_TEAM, grant, model_permissions, revoke

# participants/roles.py says what each role does. Raw (unsuppressed) counts stay a per-person grant.
PERMISSIONS = {
    PARTICIPATION_TEAM: [
        *model_permissions("engine", ["referencedistribution", "referenceshare"]),
        *model_permissions("engine", ["reportjob"], ["add", "view"]),
        *model_permissions("engine", ["subscription", "notification", "topic"], ["view"]),
    ],
    CONTENT_EDITORS: model_permissions("engine", ["topic"]),
}


def forwards(apps, schema_editor):
    for group, permissions in PERMISSIONS.items():
        grant(apps, group, permissions)


def backwards(apps, schema_editor):
    for group, permissions in PERMISSIONS.items():
        revoke(apps, group, permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("engine", "0003_notifications_reports"),
        ("participants", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
