from django.db import migrations

# Themes of the National Migration Policy and of SERMIG's regional participatory dialogues.
TOPICS = [
    (
        "integracion-inclusion",
        "Integración e inclusión social",
        "Entegrasyon ak enklizyon sosyal",
        "Social integration and inclusion",
    ),
    (
        "convivencia-comunidades",
        "Convivencia y comunidades de acogida",
        "Viv ansanm ak kominote ki resevwa moun yo",
        "Coexistence and host communities",
    ),
    (
        "territorio-descentralizacion",
        "Territorio y descentralización",
        "Teritwa ak desantralizasyon",
        "Territory and decentralisation",
    ),
    (
        "proteccion-internacional",
        "Protección internacional",
        "Pwoteksyon entènasyonal",
        "International protection",
    ),
    ("regularizacion", "Regularización migratoria", "Regilarizasyon papye", "Regularisation"),
    (
        "ninez-adolescencia",
        "Niñez y adolescencia migrante",
        "Timoun ak jèn ki imigran",
        "Migrant children and adolescents",
    ),
    ("trabajo-decente", "Trabajo decente", "Travay ki desan", "Decent work"),
    ("genero-diversidad", "Género y diversidad", "Jan ak divèsite", "Gender and diversity"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("engine", "Topic")
    for order, (slug, es, ht, en) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            slug=slug,
            defaults={"order": order, "name": es, "name_es": es, "name_ht": ht, "name_en": en},
        )


def unseed(apps, schema_editor):
    apps.get_model("engine", "Topic").objects.filter(slug__in=[t[0] for t in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("engine", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
