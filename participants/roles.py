"""The staff roles of DESIGN.md §5 and how an app gives them the permissions their work needs.

The four groups are created by ``participants/migrations/0002_roles.py``. Each app grants its own permissions in
a data migration of its own, so a role's rights grow with the apps and nothing here imports a mechanism::

    from participants.roles import PARTICIPATION_TEAM, grant, model_permissions, revoke

    PERMISSIONS = [*model_permissions("cosoc", ["session", "agendaitem"]), "cosoc.publish_minutes"]

    def forwards(apps, schema_editor):
        grant(apps, COSOC_SECRETARY, PERMISSIONS)

    def backwards(apps, schema_editor):
        revoke(apps, COSOC_SECRETARY, PERMISSIONS)

    class Migration(migrations.Migration):
        dependencies = [("participants", "0002_roles"), ("cosoc", "0001_initial")]
        operations = [migrations.RunPython(forwards, backwards)]

Permissions are ``"app_label.codename"``; a name that does not exist stops the migration (a typo must not
silently leave a role without a right). A group's members still need ``is_staff`` and a second factor to reach
admin. What each role may do today:

- Participation team: consultations (every model, assisted entry, moderation), reports (order, read all and
  publish on the portal), reference distributions, subscriptions and notifications (read only), topics (read
  only).
- Content editors: topics; the relevant-information app adds its own.
- Participation team, public accounts: every account model, moderation, approval, publication of answers.
- Answering unit: public-account questions assigned to one of the member's groups (view, draft answers).
- COSOC secretary: nothing yet; the COSOC app adds its own.
"""

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

PARTICIPATION_TEAM = "Participation team"
CONTENT_EDITORS = "Content editors"
COSOC_SECRETARY = "COSOC secretary"
ANSWERING_UNIT = "Answering unit"
ROLES = [PARTICIPATION_TEAM, CONTENT_EDITORS, COSOC_SECRETARY, ANSWERING_UNIT]

ALL_ACTIONS = ("add", "change", "delete", "view")


def model_permissions(
    app_label: str, models: Iterable[str], actions: Iterable[str] = ALL_ACTIONS
) -> list[str]:
    """``model_permissions("engine", ["topic"], ["view"])`` -> ``["engine.view_topic"]``."""
    actions = tuple(actions)
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


def _permissions(apps, names: Iterable[str]) -> list:
    names = sorted(set(names))
    # Django creates permissions after all migrations ran (post_migrate); on a fresh database they do not exist
    # yet when a data migration runs, so create those of the apps named, from the migration's model state.
    for label in sorted({name.split(".", 1)[0] for name in names}):
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    Permission = apps.get_model("auth", "Permission")
    codenames = [name.split(".", 1)[1] for name in names]
    found = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.select_related("content_type").filter(codename__in=codenames)
    }
    missing = [name for name in names if name not in found]
    if missing:
        raise LookupError(f"No such permissions: {', '.join(missing)}")
    return [found[name] for name in names]


def grant(apps, group_name: str, permissions: Iterable[str]) -> None:
    """Give the group these permissions (``"app_label.codename"``); for data migrations, with their ``apps``."""
    group = apps.get_model("auth", "Group").objects.get(name=group_name)
    group.permissions.add(*_permissions(apps, permissions))


def revoke(apps, group_name: str, permissions: Iterable[str]) -> None:
    """Undo :func:`grant` (the migration's backwards step)."""
    group = apps.get_model("auth", "Group").objects.filter(name=group_name).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, permissions))
