from django.db import migrations

from participants.roles import ANSWERING_UNIT, PARTICIPATION_TEAM, grant, model_permissions, revoke

# The Participation team runs the public account end to end: content, moderation, approval and publication.
# Answering units draft answers to the questions assigned to their group (public_accounts/permissions.py).
TEAM = [
    *model_permissions(
        "public_accounts",
        ["publicaccount", "presentationevent", "section", "budgetline", "attachment", "commitment"],
    ),
    *model_permissions("public_accounts", ["question", "questionnote"], ["view", "change"]),
    *model_permissions("public_accounts", ["answersdocument"], ["view"]),
    "public_accounts.publish_answers",
    "public_accounts.moderate_question",
    "public_accounts.approve_answer",
    "public_accounts.answer_question",
]
UNIT = [
    *model_permissions("public_accounts", ["question"], ["view", "change"]),
    "public_accounts.answer_question",
]


def forwards(apps, schema_editor):
    grant(apps, PARTICIPATION_TEAM, TEAM)
    grant(apps, ANSWERING_UNIT, UNIT)


def backwards(apps, schema_editor):
    revoke(apps, PARTICIPATION_TEAM, TEAM)
    revoke(apps, ANSWERING_UNIT, UNIT)


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_roles"), ("public_accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
