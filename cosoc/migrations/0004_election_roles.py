from django.db import migrations

from participants.roles import COSOC_SECRETARY, PARTICIPATION_TEAM, grant, model_permissions, revoke

# The COSOC secretary runs the elections with the participation team: dates and seats, candidacies, phases,
# count and lots. Nobody gets a permission on ballots or vote records (they have no admin page either).
PERMISSIONS = [
    *model_permissions("cosoc", ["election", "seatallocation"], ["add", "change", "view"]),
    *model_permissions("cosoc", ["candidacy"], ["change", "view"]),
    *model_permissions("cosoc", ["lotdraw"], ["add", "view"]),
    "cosoc.run_election",
]


def forwards(apps, schema_editor):
    for role in (COSOC_SECRETARY, PARTICIPATION_TEAM):
        grant(apps, role, PERMISSIONS)


def backwards(apps, schema_editor):
    for role in (COSOC_SECRETARY, PARTICIPATION_TEAM):
        revoke(apps, role, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_roles"), ("cosoc", "0003_elections")]
    operations = [migrations.RunPython(forwards, backwards)]
