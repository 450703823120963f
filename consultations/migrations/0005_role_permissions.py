from django.db import migrations

from participants.roles import PARTICIPATION_TEAM, grant, model_permissions, revoke

# The Participation team runs consultations end to end (participants/roles.py). Responses are read, never edited
# or deleted here: they are the participants' own words; open answers are edited only through moderation.
PERMISSIONS = [
    *model_permissions(
        "consultations",
        [
            "consultationplan",
            "proposalcall",
            "topicproposal",
            "consultation",
            "consultationdocument",
            "section",
            "question",
            "option",
            "dialogue",
            "dialogueattendance",
            "dialogueoptioncount",
            "dialoguesynthesis",
            "institutionalresponse",
            "commitment",
        ],
    ),
    *model_permissions("consultations", ["response", "answer", "answeroption"], ["view"]),
    "consultations.enter_assisted_response",
    "consultations.moderate_answers",
]


def forwards(apps, schema_editor):
    grant(apps, PARTICIPATION_TEAM, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, PARTICIPATION_TEAM, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0004_double_submissions"),
        ("participants", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
