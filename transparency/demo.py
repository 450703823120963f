"""Demo register: sixteen publications of every type in three languages — the plain-language summary of the
National Migration and Foreign Affairs Policy, the year's budget as a table with its downloads, documents, one
item past its review date, one draft only staff see and one archived item. Figures are illustrative."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from engine.files import file_attach
from engine.models import Topic
from engine.pdf import html_to_pdf
from participants.demo import DEMO_CITIZEN_EMAIL
from participants.models import User
from transparency import services
from transparency.models import Attachment, BudgetRow, Publication, PublicationType, Status, UpdateFrequency

T = PublicationType
UNIT_STUDIES = ("Departamento de Estudios", "Depatman Etid", "Research Department")
UNIT_POLICY = ("División de Políticas Migratorias", "Divizyon Politik Migrasyon", "Migration Policy Division")
UNIT_FINANCE = (
    "Departamento de Administración y Finanzas",
    "Depatman Administrasyon ak Finans",
    "Finance Department",
)
UNIT_COMMS = ("Unidad de Comunicaciones", "Inite Kominikasyon", "Communications Unit")
UNIT_LEGAL = ("División Jurídica", "Divizyon Jiridik", "Legal Division")

# (slug, type, days since published, topics, unit, (title es, ht, en), (summary es, ht, en), body paragraphs es/ht/en)
PUBLICATIONS = [
    (
        "politica-nacional-migracion-extranjeria",
        T.POLICY,
        300,
        ["integracion-inclusion", "proteccion-internacional", "regularizacion"],
        UNIT_POLICY,
        (
            "Política Nacional de Migración y Extranjería",
            "Politik Nasyonal sou Migrasyon ak Etranje",
            "National Migration and Foreign Affairs Policy",
        ),
        (
            "Es el plan de Chile para la migración. Dice cómo el Estado recibe a las personas que llegan, "
            "cómo pueden tener sus papeles al día y cómo se protege a quienes huyen de la violencia. "
            "Busca una migración ordenada, segura y regular, con los derechos de todas las personas.",
            "Se plan Chili pou migrasyon. Li di kijan Leta resevwa moun ki rive, kijan yo ka gen papye yo "
            "an règ, ak kijan yo pwoteje moun k ap kouri pou vyolans. Li vle yon migrasyon ki an lòd, ki an "
            "sekirite e ki legal, ak dwa tout moun.",
            "It is Chile's plan for migration. It says how the State receives people who arrive, how they can "
            "keep their papers up to date and how people fleeing violence are protected. It seeks orderly, "
            "safe and regular migration that respects everyone's rights.",
        ),
        (
            "<h2>Qué busca</h2><ul><li>Una migración ordenada, segura y regular.</li><li>Integración de las "
            "personas migrantes en el trabajo, la salud y la educación.</li><li>Protección de niños, niñas y "
            "adolescentes y de personas refugiadas.</li></ul><h2>Cómo se hizo</h2><p>Se construyó con diálogos "
            "regionales y una consulta ciudadana.</p>",
            "<h2>Sa li vle</h2><ul><li>Yon migrasyon ki an lòd, ki an sekirite e ki legal.</li><li>Entegrasyon "
            "moun ki imigran nan travay, lasante ak lekòl.</li><li>Pwoteksyon timoun, jèn ak refijye.</li></ul>",
            "<h2>What it seeks</h2><ul><li>Orderly, safe and regular migration.</li><li>Integration of migrants "
            "in work, health and education.</li><li>Protection of children, adolescents and refugees.</li></ul>",
        ),
    ),
    (
        "presupuesto-anual",
        T.BUDGET,
        20,
        ["regularizacion"],
        UNIT_FINANCE,
        (
            "Presupuesto anual y su ejecución",
            "Bidjè anyèl ak kijan li depanse",
            "Annual budget and its execution",
        ),
        (
            "Cuánto dinero tiene SERMIG este año para cada programa y cuánto ha gastado hasta ahora. Se "
            "actualiza cada mes.",
            "Konbyen lajan SERMIG genyen ane sa a pou chak pwogram ak konbyen li depanse jiskaprezan. Li "
            "mete ajou chak mwa.",
            "How much money SERMIG has this year for each programme and how much it has spent so far. Updated "
            "every month.",
        ),
        (
            "<p>Montos en pesos. Cifras de demostración.</p>",
            "<p>Kantite an peso. Chif egzanp.</p>",
            "<p>Amounts in Chilean pesos. Illustrative figures.</p>",
        ),
    ),
    (
        "plan-regularizacion",
        T.PLAN,
        120,
        ["regularizacion", "trabajo-decente"],
        UNIT_POLICY,
        ("Plan de regularización migratoria", "Plan pou regilarize papye", "Migration regularisation plan"),
        (
            "Pasos para que más personas tengan sus papeles al día: citas en línea, oficinas móviles y ayuda "
            "en creole haitiano.",
            "Etap pou plis moun gen papye yo an règ: randevou sou entènèt, biwo mobil ak èd an kreyòl.",
            "Steps so more people keep their papers up to date: online appointments, mobile offices and help in "
            "Haitian Creole.",
        ),
        ("<p>El plan dura dos años y se revisa cada trimestre.</p>", "", ""),
    ),
    (
        "programa-oficinas-moviles",
        T.PROGRAM,
        90,
        ["territorio-descentralizacion"],
        UNIT_POLICY,
        ("Programa de oficinas móviles", "Pwogram biwo mobil", "Mobile offices programme"),
        (
            "Equipos de SERMIG viajan a comunas lejanas para atender trámites sin que las personas viajen a la "
            "capital regional.",
            "Ekip SERMIG vwayaje nan komin ki lwen pou ede moun fè demach san yo pa vwayaje nan kapital "
            "rejyon an.",
            "SERMIG teams travel to remote districts so people can do their paperwork without going to the "
            "regional capital.",
        ),
        ("<p>Calendario publicado cada mes en esta página.</p>", "", ""),
    ),
    (
        "programa-ninez-migrante",
        T.PROGRAM,
        200,
        ["ninez-adolescencia"],
        UNIT_STUDIES,
        (
            "Programa de protección de la niñez migrante",
            "Pwogram pou pwoteje timoun imigran",
            "Migrant children protection programme",
        ),
        (
            "Todos los niños y niñas pueden ir a la escuela y al consultorio, tengan o no papeles. Este programa "
            "ayuda a sus familias con los trámites.",
            "Tout timoun ka ale lekòl ak nan klinik, kit yo gen papye kit yo pa genyen. Pwogram sa a ede "
            "fanmi yo ak demach yo.",
            "All children can go to school and to the clinic, with or without papers. This programme helps "
            "their families with the paperwork.",
        ),
        ("", "", ""),
    ),
    (
        "accion-citas-en-linea",
        T.ACTION,
        45,
        ["regularizacion"],
        UNIT_COMMS,
        (
            "Nuevas citas en línea en tres idiomas",
            "Nouvo randevou sou entènèt an twa lang",
            "New online appointments in three languages",
        ),
        (
            "Ahora puede pedir hora para sus trámites en español, creole haitiano o inglés desde el teléfono.",
            "Kounye a ou ka mande randevou pou demach ou an panyòl, kreyòl oswa anglè sou telefòn ou.",
            "You can now book appointments for your paperwork in Spanish, Haitian Creole or English from your "
            "phone.",
        ),
        ("", "", ""),
    ),
    (
        "accion-dialogos-regionales",
        T.ACTION,
        150,
        ["convivencia-comunidades", "territorio-descentralizacion"],
        UNIT_POLICY,
        (
            "Diálogos regionales sobre convivencia",
            "Dyalòg rejyonal sou viv ansanm",
            "Regional dialogues on coexistence",
        ),
        (
            "SERMIG conversó con vecinos y organizaciones de seis regiones sobre cómo convivir mejor.",
            "SERMIG te pale ak vwazen ak òganizasyon nan sis rejyon sou kijan pou nou viv ansanm pi byen.",
            "SERMIG talked with residents and organisations in six regions about living together better.",
        ),
        ("", "", ""),
    ),
    (
        "ley-21325",
        T.REGULATION,
        600,
        ["regularizacion", "proteccion-internacional"],
        UNIT_LEGAL,
        (
            "Ley 21.325 de Migración y Extranjería",
            "Lwa 21.325 sou Migrasyon ak Etranje",
            "Law 21,325 on Migration and Foreign Affairs",
        ),
        (
            "La ley que regula la entrada, la estadía y los derechos de las personas extranjeras en Chile. "
            "El texto oficial está en español.",
            "Lwa ki òganize antre, rete ak dwa moun etranje nan Chili. Tèks ofisyèl la an panyòl.",
            "The law on the entry, stay and rights of foreign nationals in Chile. The official text is in "
            "Spanish.",
        ),
        ("<p>Texto oficial en la Biblioteca del Congreso Nacional.</p>", "", ""),
    ),
    (
        "reglamento-ley-migracion",
        T.REGULATION,
        500,
        ["regularizacion"],
        UNIT_LEGAL,
        (
            "Reglamento de la Ley de Migración",
            "Règleman Lwa sou Migrasyon",
            "Regulations of the Migration Law",
        ),
        (
            "Explica cómo se aplica la ley: qué documentos se piden y cuánto demoran los trámites.",
            "Li eksplike kijan yo aplike lwa a: ki papye yo mande ak konbyen tan demach yo pran.",
            "Explains how the law is applied: which documents are required and how long procedures take.",
        ),
        ("", "", ""),
    ),
    (
        "informe-estimacion-poblacion",
        T.REPORT,
        400,
        ["integracion-inclusion"],
        UNIT_STUDIES,
        (
            "Estimación de personas extranjeras residentes",
            "Estimasyon moun etranje k ap viv Chili",
            "Estimate of foreign residents",
        ),
        (
            "Cuántas personas extranjeras viven en Chile, de qué países vienen y en qué regiones viven.",
            "Konbyen moun etranje ap viv Chili, ki peyi yo soti ak nan ki rejyon yo abite.",
            "How many foreign nationals live in Chile, which countries they come from and where they live.",
        ),
        ("<p>Informe conjunto con el Instituto Nacional de Estadísticas.</p>", "", ""),
    ),
    (
        "informe-cuenta-publica",
        T.REPORT,
        240,
        ["integracion-inclusion"],
        UNIT_STUDIES,
        ("Informe de gestión del año", "Rapò travay ane a", "Annual management report"),
        (
            "Lo que SERMIG hizo el año pasado: trámites resueltos, tiempos de espera y metas cumplidas.",
            "Sa SERMIG te fè ane pase: demach ki fini, tan pou tann ak objektif ki reyalize.",
            "What SERMIG did last year: cases resolved, waiting times and targets met.",
        ),
        ("", "", ""),
    ),
    (
        "noticia-atencion-creole",
        T.NEWS,
        10,
        ["integracion-inclusion"],
        UNIT_COMMS,
        (
            "Atención en creole haitiano en todas las regiones",
            "Sèvis an kreyòl nan tout rejyon yo",
            "Haitian Creole service in every region",
        ),
        (
            "Desde este mes, todas las oficinas regionales tienen a alguien que habla creole haitiano.",
            "Depi mwa sa a, tout biwo rejyonal yo gen yon moun ki pale kreyòl.",
            "From this month every regional office has someone who speaks Haitian Creole.",
        ),
        ("", "", ""),
    ),
    (
        "noticia-refugio",
        T.NEWS,
        30,
        ["proteccion-internacional"],
        UNIT_COMMS,
        (
            "Cómo pedir refugio en Chile",
            "Kijan pou mande azil nan Chili",
            "How to apply for refugee status in Chile",
        ),
        (
            "Si tuvo que huir de su país, puede pedir refugio. Le explicamos los pasos y sus derechos mientras "
            "espera.",
            "Si ou te oblije kouri kite peyi ou, ou ka mande azil. Nou eksplike etap yo ak dwa ou pandan w ap "
            "tann.",
            "If you had to flee your country, you can apply for refugee status. We explain the steps and your "
            "rights while you wait.",
        ),
        ("", "", ""),
    ),
    (
        "plan-genero",
        T.PLAN,
        700,
        ["genero-diversidad"],
        UNIT_STUDIES,
        ("Plan de igualdad de género", "Plan egalite ant fanm ak gason", "Gender equality plan"),
        (
            "Medidas para que mujeres y personas LGBTIQ+ migrantes reciban la misma atención y protección.",
            "Mezi pou fanm ak moun LGBTIQ+ ki imigran resevwa menm sèvis ak menm pwoteksyon.",
            "Measures so that migrant women and LGBTIQ+ people receive the same service and protection.",
        ),
        ("<p>Este plan debe revisarse: su última actualización tiene casi dos años.</p>", "", ""),
    ),
]
DRAFT = (
    "borrador-plan-verano",
    T.PLAN,
    ["territorio-descentralizacion"],
    UNIT_POLICY,
    ("Plan de atención de verano (borrador)", "Plan sèvis pou ete (bouyon)", "Summer service plan (draft)"),
    (
        "Borrador interno: horarios extendidos de atención durante el verano.",
        "Bouyon entèn: plis lè pou sèvis pandan ete a.",
        "Internal draft: extended opening hours during the summer.",
    ),
)
ARCHIVED = (
    "plan-regularizacion-anterior",
    T.PLAN,
    ["regularizacion"],
    UNIT_POLICY,
    ("Plan de regularización anterior", "Ansyen plan regilarizasyon", "Previous regularisation plan"),
    (
        "El plan que rigió antes del actual. Ya no se actualiza; se mantiene para consulta.",
        "Plan ki te an vigè anvan sa a. Yo pa mete l ajou ankò; li rete la pou moun li.",
        "The plan in force before the current one. No longer updated; kept for reference.",
    ),
)
BUDGET_ROWS = [
    (
        ("Atención de público y trámites", "Sèvis piblik ak demach", "Public service and procedures"),
        18_500_000_000,
        16_100_000_000,
    ),
    (
        ("Regularización migratoria", "Regilarizasyon papye", "Migration regularisation"),
        9_200_000_000,
        7_050_000_000,
    ),
    (("Oficinas móviles", "Biwo mobil", "Mobile offices"), 1_400_000_000, 980_000_000),
    (
        (
            "Protección internacional (refugio)",
            "Pwoteksyon entènasyonal (azil)",
            "International protection (asylum)",
        ),
        2_300_000_000,
        1_610_000_000,
    ),
    (
        (
            "Estudios y participación ciudadana",
            "Etid ak patisipasyon sitwayen",
            "Research and citizen participation",
        ),
        650_000_000,
        410_000_000,
    ),
]


def _texts(field: str, values: tuple[str, str, str]) -> dict:
    es, ht, en = values
    return {field: es, f"{field}_es": es, f"{field}_ht": ht, f"{field}_en": en}


def _pdf(title: str, summary: str) -> bytes:
    return html_to_pdf(
        f"<html lang='es'><head><title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>"
        f"<p>{escape(summary)}</p><p>Documento de demostración.</p></body></html>"
    )


def _budget_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["programa", "presupuesto", "ejecutado"])
    for (name, _ht, _en), budget, executed in BUDGET_ROWS:
        writer.writerow([name, budget, executed])
    return buffer.getvalue().encode("utf-8")


def _attach(publication: Publication, *, name: str, content: bytes, title, description) -> None:
    attachment = Attachment(
        publication=publication, **_texts("title", title), **_texts("description", description)
    )
    file_attach(instance=attachment, field="file", content=content, name=name)
    attachment.save()


def _publication(slug, type, topics, unit, title, summary, body=("", "", "")) -> Publication:
    publication = Publication(slug=slug, type=type, **_texts("title", title), **_texts("summary", summary))
    texts = {**_texts("responsible_unit", unit), **(_texts("body", body) if body[0] else {})}
    for key, value in texts.items():
        setattr(publication, key, value)
    publication.save()
    publication.topics.set(Topic.objects.filter(slug__in=topics))
    return publication


@transaction.atomic
def load(stdout) -> None:
    if Publication.objects.filter(slug="presupuesto-anual").exists():
        stdout.write("Demo register already loaded")
        return
    today = timezone.localdate()
    for slug, type, days, topics, unit, title, summary, body in PUBLICATIONS:
        publication = _publication(slug, type, topics, unit, title, summary, body)
        publication.published_on = today - timedelta(days=days)
        if slug == "plan-genero":
            publication.update_frequency = UpdateFrequency.YEARLY  # 700 days old: past its review date
        services.publication_publish(publication=publication)
    policy = Publication.objects.get(slug="politica-nacional-migracion-extranjeria")
    _attach(
        policy,
        name="politica-nacional-migracion.pdf",
        content=_pdf(policy.title, policy.summary),
        title=("Texto completo de la Política", "Tèks konplè Politik la", "Full text of the Policy"),
        description=(
            "El documento oficial completo, en español.",
            "Dokiman ofisyèl konplè a, an panyòl.",
            "The complete official document, in Spanish.",
        ),
    )
    policy.summary_es = policy.summary = policy.summary_es + " Se revisa cada año con los aportes del COSOC."
    services.publication_update(
        publication=policy,
        change_note={
            "es": "Se agrega la revisión anual con el COSOC.",
            "ht": "Nou ajoute revizyon chak ane ak COSOC la.",
            "en": "Adds the yearly review with the COSOC.",
        },
    )
    budget = Publication.objects.get(slug="presupuesto-anual")
    for order, (program, amount, executed) in enumerate(BUDGET_ROWS, start=1):
        BudgetRow.objects.create(
            publication=budget,
            order=order,
            budget=Decimal(amount),
            executed=Decimal(executed),
            **_texts("program", program),
        )
    _attach(
        budget,
        name="ejecucion-presupuestaria.csv",
        content=_budget_csv(),
        title=("Ejecución por programa (CSV)", "Depans pa pwogram (CSV)", "Execution by programme (CSV)"),
        description=(
            "Una fila por programa: presupuesto y monto ejecutado en pesos.",
            "Yon liy pou chak pwogram: bidjè ak kantite lajan ki depanse an peso.",
            "One row per programme: budget and amount spent, in pesos.",
        ),
    )
    services.publication_reindex(publication=budget)
    slug, type, topics, unit, title, summary = DRAFT
    _publication(slug, type, topics, unit, title, summary)  # a draft: only staff see it
    slug, type, topics, unit, title, summary = ARCHIVED
    archived = _publication(slug, type, topics, unit, title, summary)
    archived.published_on = today - timedelta(days=1100)
    services.publication_publish(publication=archived)
    services.publication_set_status(publication=archived, status=Status.ARCHIVED)
    citizen = User.objects.filter(email=DEMO_CITIZEN_EMAIL).first()
    if citizen is not None:
        services.publication_type_follow(user=citizen, type=T.BUDGET)
    stdout.write(
        f"Demo register: {Publication.objects.count()} publications (one draft, one archived, one past review)"
    )
