"""Demo registry: accredited organisations in the three categories and several regions, one application
waiting for staff, and a representative account (credentials in the README). Idempotent."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone

from participants import choices
from participants.models import Organization, OrganizationDocument, OrganizationRepresentative, User
from participants.organizations.rut import check_digit

DEMO_REPRESENTATIVE_EMAIL = "representante@demo.sermig.cl"

# A one-page PDF standing for statutes (the demo's documents are placeholders).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

Category = choices.OrganizationCategory
Region = choices.Region
LegalForm = choices.LegalForm

# (legal name, RUT number, category, region, commune, legal form)
ACCREDITED = [
    (
        "Asociación de Haitianos en Chile",
        "65101001",
        Category.MIGRANT_LED,
        Region.METROPOLITANA,
        "Estación Central",
        LegalForm.ASSOCIATION,
    ),
    (
        "Colectivo Venezolano de Antofagasta",
        "65101002",
        Category.MIGRANT_LED,
        Region.ANTOFAGASTA,
        "Antofagasta",
        LegalForm.COMMUNITY,
    ),
    (
        "Mujeres Migrantes del Norte Grande",
        "65101003",
        Category.MIGRANT_LED,
        Region.TARAPACA,
        "Iquique",
        LegalForm.ASSOCIATION,
    ),
    (
        "Comunidad Peruana de Arica",
        "65101004",
        Category.MIGRANT_LED,
        Region.ARICA,
        "Arica",
        LegalForm.COMMUNITY,
    ),
    (
        "Fundación Puentes Migrantes",
        "65101005",
        Category.NGO,
        Region.METROPOLITANA,
        "Santiago",
        LegalForm.FOUNDATION,
    ),
    ("ONG Acogida Sur", "65101006", Category.NGO, Region.BIOBIO, "Concepción", LegalForm.ASSOCIATION),
    (
        "Servicio Jesuita Migrante (demo)",
        "65101007",
        Category.NGO,
        Region.VALPARAISO,
        "Valparaíso",
        LegalForm.FOUNDATION,
    ),
    (
        "Centro de Estudios Migratorios (demo)",
        "65101008",
        Category.ACADEMIC,
        Region.METROPOLITANA,
        "Providencia",
        LegalForm.RESEARCH_CENTRE,
    ),
    (
        "Instituto de Movilidad Humana del Sur",
        "65101009",
        Category.ACADEMIC,
        Region.LOS_LAGOS,
        "Puerto Montt",
        LegalForm.UNIVERSITY,
    ),
]
PENDING = (
    "Red Colombiana de Valparaíso",
    "65101010",
    Category.MIGRANT_LED,
    Region.VALPARAISO,
    "Viña del Mar",
    LegalForm.ASSOCIATION,
)


def _rut(number: str) -> str:
    return f"{number}-{check_digit(number)}"


def _organization(row, *, status: str) -> Organization:
    name, number, category, region, commune, legal_form = row
    now = timezone.now()
    organization, created = Organization.objects.get_or_create(
        rut=_rut(number),
        defaults={
            "legal_name": name,
            "category": category,
            "region": region,
            "commune": commune,
            "legal_form": legal_form,
            "contact_email": f"contacto{number[-2:]}@org.demo.sermig.cl",
            "status": status,
            "submitted_at": now,
            "accredited_at": now if status == choices.OrganizationStatus.ACCREDITED else None,
        },
    )
    if created:
        document = OrganizationDocument(organization=organization, kind=OrganizationDocument.Kind.STATUTES)
        document.file_name = "estatutos.pdf"
        document.file.save("estatutos.pdf", ContentFile(DEMO_PDF), save=False)
        document.save()
    return organization


def load(stdout, *, password: str) -> None:
    representative, created = User.objects.get_or_create(
        email=DEMO_REPRESENTATIVE_EMAIL, defaults={"name": "Jean Baptiste (demo)", "preferred_language": "ht"}
    )
    if created:
        representative.set_password(password)
        representative.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=representative, email=representative.email, defaults={"verified": True, "primary": True}
    )
    organizations = [_organization(row, status=choices.OrganizationStatus.ACCREDITED) for row in ACCREDITED]
    OrganizationRepresentative.objects.get_or_create(
        organization=organizations[0], user=representative, defaults={"position": "Presidente"}
    )
    pending = _organization(PENDING, status=choices.OrganizationStatus.APPLIED)
    OrganizationRepresentative.objects.get_or_create(
        organization=pending, user=representative, defaults={"position": "Secretario"}
    )
    stdout.write(
        f"Demo representative of «{organizations[0]}» (accredited, category 1) and «{pending}» (application "
        f"waiting for staff): {DEMO_REPRESENTATIVE_EMAIL} / {password} (development only)"
    )
