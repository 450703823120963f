from django.db import migrations

from participants.roles import COSOC_SECRETARY, PARTICIPATION_TEAM, grant, model_permissions, revoke

# The registry is run by the participation team with the COSOC secretary: both read applications and
# their documents and decide on them. Nobody adds or deletes organisations in admin (they apply).
PERMISSIONS = [
    *model_permissions("participants", ["organization"], ["view", "change"]),
    *model_permissions("participants", ["organizationdocument", "organizationdecision"], ["view"]),
    *model_permissions("participants", ["organizationrepresentative"], ["view", "add", "change", "delete"]),
    "participants.review_organization",
]


def forwards(apps, schema_editor):
    for role in (PARTICIPATION_TEAM, COSOC_SECRETARY):
        grant(apps, role, PERMISSIONS)


def backwards(apps, schema_editor):
    for role in (PARTICIPATION_TEAM, COSOC_SECRETARY):
        revoke(apps, role, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("participants", "0004_organization_registry")]
    operations = [migrations.RunPython(forwards, backwards)]
