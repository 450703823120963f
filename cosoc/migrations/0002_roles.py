from django.db import migrations

from participants.roles import COSOC_SECRETARY, grant, model_permissions, revoke

MEMBERS_GROUP = "COSOC members"

# The COSOC executive secretary runs the council in admin (participants/roles.py). Observations are the members'
# own words: the secretary reads them (and replies on the review page), never edits or deletes them.
PERMISSIONS = [
    *model_permissions(
        "cosoc",
        [
            "council",
            "term",
            "membership",
            "session",
            "invitedparticipant",
            "agendaitem",
            "agendadocument",
            "attendance",
            "minutes",
            "agreement",
            "agreementprogress",
        ],
    ),
    *model_permissions("cosoc", ["observation"], ["view"]),
    "cosoc.take_part_in_review",
    "cosoc.manage_session_status",
    "participants.view_organization",
]


def forwards(apps, schema_editor):
    # Members of this group need a second factor (settings.MFA_REQUIRED_GROUPS); cosoc.services keeps it in step.
    apps.get_model("auth", "Group").objects.get_or_create(name=MEMBERS_GROUP)
    grant(apps, COSOC_SECRETARY, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, COSOC_SECRETARY, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_organization"), ("cosoc", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
