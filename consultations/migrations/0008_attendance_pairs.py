"""Attendance counts typed as free text become pairs the results know (issue 13, item 12).

Before, staff typed the attribute and the category ("género" / "Mujer"), and only the internal codes
("gender_identity" / "woman") reached the public tables: the rest counted as 0. Known spellings are mapped to
the codes (the attribute by its code or its Spanish name, the category by its code or its label); rows that
become the same pair are added up. Rows that still cannot be mapped are kept as they are and listed here;
the dialogue's admin page shows them as "No reconocido" and will not save until they are corrected.
"""

import sys
import unicodedata

from django.db import migrations
from django_countries import countries

from participants.attributes import PARTICIPANT_ATTRIBUTES

TOTAL = ("total", "all")
TOTAL_WORDS = {"total", "totales", "asistentes", "total de asistentes", "personas"}
ALL_WORDS = {"", "all", "todas", "todos", "total", "personas", "asistentes"}


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: "  Identidad de Género " -> "identidad de genero"."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").split())


def known_pairs(apps):
    """attribute code -> (names it may have been typed as, {typed category: code})."""
    Participant = apps.get_model("participants", "Participant")
    aliases = {
        "gender_identity": {"genero", "identidad de genero", "gender", "identidad"},
        "sex_at_birth": {"sexo", "sexo al nacer", "sexo registrado al nacer", "sex"},
        "sexual_orientation": {"orientacion", "orientacion sexual"},
        "age_band": {"edad", "tramo de edad", "tramo etario", "age"},
        "nationality": {"nacionalidad", "pais", "country"},
        "migration_status": {"situacion migratoria", "estatus migratorio"},
        "region": {"region", "region de residencia"},
        "indigenous_people": {"pueblo indigena", "pueblo originario", "pueblo indigena o tribal"},
        "disability": {"discapacidad"},
    }
    table = {}
    for attribute in (a.name for a in PARTICIPANT_ATTRIBUTES if a.disaggregable):
        field = Participant._meta.get_field(attribute)
        names = {fold(attribute), fold(str(field.verbose_name))} | aliases.get(attribute, set())
        choices = list(countries) if attribute == "nationality" else list(field.choices or [])
        categories = {}
        for code, label in choices:
            categories[fold(str(code))] = str(code)
            categories[fold(str(label))] = str(code)
        table[attribute] = (names, categories)
    return table


def map_pair(attribute: str, category: str, table) -> tuple[str, str] | None:
    typed_attribute, typed_category = fold(attribute), fold(category)
    if typed_attribute in TOTAL_WORDS and typed_category in ALL_WORDS:
        return TOTAL
    for code, (names, categories) in table.items():
        if typed_attribute in names and typed_category in categories:
            return code, categories[typed_category]
    return None


def forwards(apps, schema_editor):
    DialogueAttendance = apps.get_model("consultations", "DialogueAttendance")
    table = known_pairs(apps)
    unknown = []
    for row in DialogueAttendance.objects.order_by("dialogue_id", "pk"):
        pair = map_pair(row.attribute, row.category, table)
        if pair is None:
            unknown.append(row)
            continue
        if pair == (row.attribute, row.category):
            continue
        same = DialogueAttendance.objects.filter(
            dialogue_id=row.dialogue_id, attribute=pair[0], category=pair[1]
        ).first()
        if same is not None:  # "Mujer" and "woman" typed in two rows: one count of both
            same.count += row.count
            same.save(update_fields=["count"])
            row.delete()
        else:
            row.attribute, row.category = pair
            row.save(update_fields=["attribute", "category"])
    for row in unknown:
        sys.stdout.write(
            f"\n  Attendance not recognised, kept for staff to correct: dialogue {row.dialogue_id}, "
            f"{row.attribute!r} / {row.category!r} = {row.count}"
        )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0007_constraint_messages")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
