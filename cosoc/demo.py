"""Demo data for the COSOC: the current council of 20 (fictitious names) across the three categories, three held
sessions with approved minutes and agreements, one upcoming session with a published agenda, documents and two
members' observations; a demo member and a demo executive secretary, both with the demo TOTP secret.

Idempotent: everything is looked up before it is made. Writes go through ``cosoc.services``."""

from __future__ import annotations

import datetime
from html import escape

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone

from cosoc import fragments, services
from cosoc.models import (
    AgendaDocument,
    AgendaItem,
    Agreement,
    AgreementStatus,
    AttendanceStatus,
    Council,
    DocumentVisibility,
    InvitedParticipant,
    Membership,
    Minutes,
    Role,
    Session,
    SessionKind,
    SessionModality,
    Term,
)
from engine.files import file_attach
from engine.pdf import html_to_pdf
from participants.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from participants.models import Organization, User
from participants.roles import COSOC_SECRETARY

DEMO_MEMBER_EMAIL = "consejera@demo.sermig.cl"
DEMO_SECRETARY_EMAIL = "secretaria.cosoc@demo.sermig.cl"

# (organisation, category, region, member's public name, published gender or "")
COUNCIL = [
    ("Asociación de Mujeres Haitianas en Chile", 1, "CL-RM", "Roseline Augustin", "woman"),
    ("Colectivo Venezolanos Unidos de Antofagasta", 1, "CL-AN", "Andrés Pérez Lugo", "man"),
    ("Red de Migrantes Peruanos del Norte", 1, "CL-TA", "Julia Quispe Mamani", "woman"),
    ("Comunidad Colombiana de Valparaíso", 1, "CL-VS", "Camilo Restrepo", "man"),
    ("Unión de Familias Bolivianas de Arica", 1, "CL-AP", "Marisol Choque", "woman"),
    ("Casa Dominicana del Sur", 1, "CL-BI", "Yesenia Núñez", ""),
    ("Asamblea Migrante de Temuco", 1, "CL-AR", "Kendy Louis", "non_binary"),
    ("Fundación Acoger", 2, "CL-RM", "Patricia Soto Vera", "woman"),
    ("ONG Puentes sin Fronteras", 2, "CL-RM", "Rodrigo Fuentes", "man"),
    ("Corporación Derechos en Movimiento", 2, "CL-CO", "Daniela Araya", "woman"),
    ("Centro Comunitario Nuevo Hogar", 2, "CL-ML", "Felipe Contreras", "man"),
    ("Servicio Jesuita de Apoyo al Refugio (ficticio)", 2, "CL-TA", "Carmen Gloria Ríos", "woman"),
    ("Fundación Integra Norte", 2, "CL-AN", "Luis Alberto Morales", ""),
    ("Red de Clínicas Jurídicas Migrantes", 2, "CL-LL", "Valentina Henríquez", "woman"),
    ("Instituto de Estudios Migratorios del Pacífico", 3, "CL-VS", "Dra. Isabel Carrasco", "woman"),
    ("Centro de Investigación en Movilidad Humana", 3, "CL-RM", "Dr. Tomás Villalobos", "man"),
    ("Observatorio de Migraciones del Norte Grande", 3, "CL-TA", "Paula Cáceres", "woman"),
    ("Programa Interdisciplinario de Estudios de Frontera", 3, "CL-AP", "Jorge Mamani", ""),
    ("Núcleo de Estudios Interculturales del Sur", 3, "CL-LR", "Francisca Oyarzún", "woman"),
    ("Laboratorio de Políticas de Integración", 3, "CL-BI", "Martín Sepúlveda", "man"),
]


def _tr(field: str, es: str, ht: str = "", en: str = "") -> dict[str, str]:
    return {f"{field}_es": es, f"{field}_ht": ht, f"{field}_en": en}


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    return html_to_pdf(
        f'<html lang="es"><head><title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>{body}</body></html>'
    )


def _account(email: str, name: str, *, staff: bool = False, language: str = "es") -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"name": name, "is_staff": staff, "preferred_language": language}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _with_totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def _council_and_term(today: datetime.date) -> Term:
    council, _created = Council.objects.get_or_create(
        name_es="Consejo de la Sociedad Civil de SERMIG",
        defaults={
            **_tr(
                "description",
                "Veinte organizaciones de la sociedad civil, elegidas por dos años, analizan la política "
                "migratoria con SERMIG y le dan su opinión. El consejo es autónomo y consultivo.",
                "Ven òganizasyon sosyete sivil, chwazi pou dezan, ap etidye politik migrasyon an ak SERMIG epi "
                "ba li opinyon yo. Konsèy la otonòm epi se pou bay konsèy li ye.",
                "Twenty civil-society organisations, elected for two years, review migration policy with SERMIG "
                "and give their opinion. The council is autonomous and consultative.",
            ),
            "seats": 20,
            "quorum_numerator": 1,
            "quorum_denominator": 2,
        },
    )
    term = Term.objects.filter(council=council).current(today).first()
    if term is None:
        start = datetime.date(today.year - 1, 6, 1)
        term = Term.objects.create(
            council=council,
            start=start,
            end=datetime.date(start.year + 2, 5, 31),
            **_tr(
                "legal_basis",
                "Ley 20.500, artículo 74; norma de participación ciudadana del Ministerio del Interior.",
                "Lwa 20.500, atik 74; règleman sou patisipasyon sitwayen Ministè Enteryè a.",
                "Law 20.500, article 74; the Interior Ministry's citizen participation norm.",
            ),
            **_tr(
                "selection_method",
                "Las organizaciones acreditadas en el Registro de Organizaciones eligen a sus representantes "
                "en votación en línea, cada una dentro de su categoría.",
                "Òganizasyon ki akredite nan Rejis Òganizasyon yo chwazi reprezantan yo nan yon vòt sou "
                "entènèt, chak nan pwòp kategori li.",
                "Organisations accredited in the Registry elect their representatives in an online vote, "
                "each within its own category.",
            ),
        )
    return term


def _members(term: Term) -> list[Membership]:
    memberships = []
    for number, (org_name, category, region, name, gender) in enumerate(COUNCIL, start=1):
        organization, _created = Organization.objects.get_or_create(
            legal_name=org_name,
            defaults={
                "category": category,
                "region": region,
                "status": "accredited",
                "accredited_at": timezone.now(),
            },
        )
        if number == 1:
            user = _account(DEMO_MEMBER_EMAIL, name, language="ht")
        else:
            user = _account(f"integrante{number:02d}@demo.sermig.cl", name)
        membership = Membership.objects.filter(term=term, user=user).first()
        if membership is None:
            role = Role.PRESIDENT if number == 2 else Role.VICE_PRESIDENT if number == 15 else Role.COUNCILLOR
            membership = services.membership_create(
                term=term,
                user=user,
                organization=organization,
                role=role,
                start=term.start,
                public_name=name,
                published_gender=gender,
            )
        _with_totp(user)
        memberships.append(membership)
    return memberships


def _former_member(term: Term, replaced_by: Membership) -> None:
    """A councillor who resigned: an ex-member (no access to the review area) replaced by a substitute."""
    user = _account("exintegrante@demo.sermig.cl", "Héctor Salinas")
    if Membership.objects.filter(term=term, user=user).exists():
        return
    organization = replaced_by.organization
    former = services.membership_create(
        term=term,
        user=user,
        organization=organization,
        role=Role.COUNCILLOR,
        start=term.start,
        public_name="Héctor Salinas",
    )
    services.membership_end(
        membership=former, end=term.start + datetime.timedelta(days=120), reason="Renuncia voluntaria"
    )
    Membership.objects.filter(pk=replaced_by.pk).update(
        substitute_for=former, start=term.start + datetime.timedelta(days=121)
    )


HELD = [
    (
        "Sesión ordinaria: instalación del consejo",
        "Sesyon òdinè: enstalasyon konsèy la",
        "Ordinary session: the council takes office",
        200,
        [
            (
                "Elección de presidencia y vicepresidencia",
                "Eleksyon prezidans ak vis-prezidans",
                "Election of the chair and vice-chair",
            ),
            ("Reglamento interno del consejo", "Règleman entèn konsèy la", "The council's internal rules"),
        ],
        [
            (
                "Publicar el reglamento interno en el portal.",
                "Secretaría ejecutiva",
                AgreementStatus.DONE,
                -150,
            ),
            ("Calendario anual de sesiones ordinarias.", "Secretaría ejecutiva", AgreementStatus.DONE, -140),
        ],
        16,
    ),
    (
        "Sesión ordinaria: Política Nacional de Migración",
        "Sesyon òdinè: Politik Nasyonal Migrasyon",
        "Ordinary session: National Migration Policy",
        120,
        [
            (
                "Presentación del avance de la Política Nacional de Migración",
                "Prezantasyon sou pwogrè Politik Nasyonal Migrasyon an",
                "Progress of the National Migration Policy",
            ),
            (
                "Plan de consultas ciudadanas del año",
                "Plan konsiltasyon sitwayen pou ane a",
                "This year's citizen consultation plan",
            ),
        ],
        [
            (
                "Enviar observaciones escritas del consejo sobre la política.",
                "Comisión de política del COSOC",
                AgreementStatus.DONE,
                -60,
            ),
            (
                "Incluir una consulta sobre acceso a la regularización.",
                "Departamento de Estudios",
                AgreementStatus.IN_PROGRESS,
                40,
            ),
            (
                "Traducir los formularios principales al creole haitiano.",
                "Departamento de Atención de Usuarios",
                AgreementStatus.PENDING,
                -20,
            ),
        ],
        13,
    ),
    (
        "Sesión extraordinaria: cuenta pública participativa",
        "Sesyon ekstraòdinè: kont piblik patisipatif",
        "Extraordinary session: participatory public account",
        45,
        [
            (
                "Revisión del borrador de la cuenta pública",
                "Revizyon bouyon kont piblik la",
                "Review of the public account draft",
            ),
        ],
        [
            (
                "Publicar las observaciones del consejo junto a la cuenta pública.",
                "Unidad de Participación Ciudadana",
                AgreementStatus.IN_PROGRESS,
                30,
            ),
            (
                "Sesión en regiones del norte con organizaciones locales.",
                "Secretaría ejecutiva",
                AgreementStatus.DROPPED,
                60,
            ),
        ],
        11,
    ),
]


def _held_sessions(term: Term, members: list[Membership], secretary: User, today: datetime.date) -> None:
    for number, (es, ht, en, days_ago, items, agreements, present) in enumerate(HELD, start=1):
        if Session.objects.filter(term=term, title_es=es).exists():
            continue
        session = Session.objects.create(
            term=term,
            **_tr("title", es, ht, en),
            kind=SessionKind.EXTRAORDINARY if number == 3 else SessionKind.ORDINARY,
            modality=SessionModality.HYBRID if number == 2 else SessionModality.IN_PERSON,
            date=max(term.start, today - datetime.timedelta(days=days_ago)),
            starts_at=datetime.time(10, 0),
            ends_at=datetime.time(13, 0),
            place="Oficina central de SERMIG, San Antonio 580, Santiago",
            online_link="https://reuniones.example.org/cosoc" if number == 2 else "",
            recording_url=f"https://video.example.org/cosoc-sesion-{number}",
        )
        agenda = []
        for order, (item_es, item_ht, item_en) in enumerate(items, start=1):
            agenda.append(
                AgendaItem.objects.create(
                    session=session,
                    order=order,
                    **_tr("title", item_es, item_ht, item_en),
                    **_tr(
                        "description",
                        "La secretaría presenta el tema y el consejo conversa y acuerda.",
                        "Sekretarya a prezante sijè a epi konsèy la diskite e deside.",
                        "The secretariat presents the topic; the council discusses and agrees.",
                    ),
                    presenter="Secretaría ejecutiva",
                )
            )
        InvitedParticipant.objects.create(
            session=session,
            name="Representante de la Subsecretaría del Interior",
            institution="Ministerio del Interior",
            present=True,
        )
        services.session_publish_agenda(session=session)
        services.session_mark_held(session=session)
        for index, membership in enumerate(members):
            if index < present:
                status = AttendanceStatus.PRESENT
            else:
                status = AttendanceStatus.EXCUSED if index % 2 else AttendanceStatus.ABSENT
            services.attendance_record(session=session, membership=membership, status=status)
        for text, responsible, status, due_in in agreements:
            agreement = Agreement.objects.create(
                session=session,
                item=agenda[0],
                **_tr("text", text),
                responsible=responsible,
                due_date=today + datetime.timedelta(days=due_in),
                status=status,
            )
            if status != AgreementStatus.PENDING:
                services.agreement_progress_add(
                    agreement=agreement,
                    text="La secretaría informó el avance en la sesión siguiente.",
                    date=min(today, session.date + datetime.timedelta(days=20)),
                )
        body = "".join(
            f"<h3>{escape(item.title_es)}</h3><p>El consejo conversó el punto y tomó los acuerdos que se indican.</p>"
            for item in agenda
        )
        minutes = services.minutes_save(
            minutes=Minutes(
                session=session,
                started_at=datetime.time(10, 5),
                ended_at=datetime.time(12, 50),
                executive_secretary=secretary.name,
                body_es=body,
                body_ht="".join(
                    f"<h3>{escape(item.title_ht)}</h3><p>Konsèy la te diskite pwen an epi li te pran desizyon yo.</p>"
                    for item in agenda
                ),
                body_en="".join(
                    f"<h3>{escape(item.title_en)}</h3><p>The council discussed the item and agreed as listed.</p>"
                    for item in agenda
                ),
            )
        )
        services.minutes_share(minutes=minutes)
        services.minutes_approve(minutes=minutes)


def _upcoming(term: Term, members: list[Membership], secretary: User, today: datetime.date) -> None:
    title = "Sesión ordinaria: regularización y acceso a derechos"
    if Session.objects.filter(term=term, title_es=title).exists():
        return
    session = Session.objects.create(
        term=term,
        **_tr(
            "title",
            title,
            "Sesyon òdinè: regilarizasyon ak aksè a dwa yo",
            "Ordinary session: regularisation and access to rights",
        ),
        kind=SessionKind.ORDINARY,
        modality=SessionModality.HYBRID,
        date=today + datetime.timedelta(days=12),
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(12, 30),
        place="Oficina central de SERMIG, San Antonio 580, Santiago",
        online_link="https://reuniones.example.org/cosoc",
    )
    InvitedParticipant.objects.create(
        session=session, name="Jefa del Departamento de Estudios", institution="SERMIG"
    )
    items = [
        (
            ("Proceso de regularización 2027", "Pwosesis regilarizasyon 2027", "Regularisation process 2027"),
            (
                "SERMIG presenta cómo será el próximo proceso de regularización y pide la opinión del consejo.",
                "SERMIG ap prezante kijan pwochen pwosesis regilarizasyon an ap ye epi l ap mande konsèy la opinyon l.",
                "SERMIG presents the next regularisation process and asks for the council's opinion.",
            ),
            "Departamento de Estudios",
            "Opinión del consejo sobre los requisitos",
        ),
        (
            ("Atención en creole haitiano", "Sèvis an kreyòl ayisyen", "Service in Haitian Creole"),
            (
                "Cómo mejorar la atención a personas que hablan creole haitiano.",
                "Kijan pou amelyore sèvis pou moun ki pale kreyòl ayisyen.",
                "How to improve service for people who speak Haitian Creole.",
            ),
            "Departamento de Atención de Usuarios",
            "Propuestas del consejo",
        ),
        (
            ("Varios", "Divès", "Other business"),
            (
                "Temas que propongan las y los integrantes.",
                "Sijè manm yo pwopoze.",
                "Topics members propose.",
            ),
            "Presidencia del consejo",
            "",
        ),
    ]
    agenda = []
    for order, (titles, descriptions, presenter, decision) in enumerate(items, start=1):
        agenda.append(
            AgendaItem.objects.create(
                session=session,
                order=order,
                **_tr("title", *titles),
                **_tr("description", *descriptions),
                presenter=presenter,
                expected_decision=decision,
            )
        )
    for item, title, visibility in (
        (agenda[0], "Minuta del proceso de regularización (borrador de trabajo)", DocumentVisibility.MEMBERS),
        (agenda[0], "Presentación pública del proceso", DocumentVisibility.PUBLIC),
        (agenda[1], "Diagnóstico de atención en creole (borrador)", DocumentVisibility.MEMBERS),
    ):
        document = AgendaDocument(item=item, **_tr("title", title), visibility=visibility)
        file_attach(
            instance=document,
            field="file",
            content=_pdf(title, ["Documento de demostración con datos ficticios."]),
            name=f"{title}.pdf",
        )
        document.save()
    services.session_publish_agenda(session=session)
    first = services.observation_post(
        author=members[0].user,
        item=agenda[1],
        text="Proponemos que los formularios tengan una versión en creole y un número de WhatsApp con atención en creole.",
    )
    services.observation_post(
        author=members[7].user,
        item=agenda[0],
        text="El borrador no dice qué pasa con quienes ingresaron por paso no habilitado antes de 2023. ¿Se incluye?",
    )
    services.observation_post(
        author=secretary,
        item=agenda[1],
        parent=first,
        text="Gracias: el Departamento de Atención de Usuarios traerá una propuesta sobre WhatsApp a la sesión.",
    )


def load(stdout) -> None:
    today = timezone.localdate()
    secretary = _account(DEMO_SECRETARY_EMAIL, "Lorena Espinoza (secretaría ejecutiva)", staff=True)
    secretary.groups.add(Group.objects.get(name=COSOC_SECRETARY))
    _with_totp(secretary)
    term = _council_and_term(today)
    members = _members(term)
    _former_member(term, replaced_by=members[5])
    _held_sessions(term, members, secretary, today)
    _upcoming(term, members, secretary, today)
    fragments.content_changed()  # the substitute's seat was changed with QuerySet.update
    stdout.write(
        f"COSOC demo member: {DEMO_MEMBER_EMAIL} / {DEMO_PASSWORD}, COSOC secretary: {DEMO_SECRETARY_EMAIL} / "
        f"{DEMO_PASSWORD}; both use the demo TOTP secret {DEMO_TOTP_SECRET} (development only)"
    )
