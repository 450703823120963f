import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cosoc import services
from cosoc.models import DocumentVisibility, Minutes
from participants.roles import COSOC_SECRETARY
from tests.cosoc.factories import (
    AgendaDocumentFactory,
    AgendaItemFactory,
    AgreementFactory,
    CouncilFactory,
    OrganizationFactory,
    SessionFactory,
    TermFactory,
    today,
)
from tests.factories import UserFactory
from tests.helpers import enable_mfa, logged_in


@pytest.fixture
def term(db):
    return TermFactory(council=CouncilFactory())


@pytest.fixture
def old_term(term):
    return TermFactory(
        council=term.council,
        start=term.start - datetime.timedelta(days=730),
        end=term.start - datetime.timedelta(days=1),
    )


def _member(term, email, **kwargs):
    user = UserFactory(email=email, name=email.split("@")[0].title())
    membership = services.membership_create(
        term=term,
        user=user,
        organization=OrganizationFactory(),
        role="councillor",
        start=term.start,
        **kwargs,
    )
    enable_mfa(user)
    return membership


@pytest.fixture
def member(term):
    """A councillor of the current term, with her second factor."""
    return _member(term, "consejera@example.org").user


@pytest.fixture
def ex_member(term):
    """Left the current council last month."""
    membership = _member(term, "exconsejero@example.org")
    services.membership_end(
        membership=membership, end=today() - datetime.timedelta(days=30), reason="Renuncia"
    )
    return membership.user


@pytest.fixture
def other_term_member(old_term):
    """A councillor of the previous term (her seat ended with it)."""
    return _member(old_term, "anterior@example.org").user


@pytest.fixture
def secretary(db):
    user = UserFactory(email="secretaria@example.org", name="Secretaría Ejecutiva", is_staff=True)
    user.groups.add(Group.objects.get(name=COSOC_SECRETARY))
    return enable_mfa(user)


@pytest.fixture
def staff_without_role(staff_member):
    return enable_mfa(staff_member)


PERSONAS = ["anonymous", "citizen", "member", "ex_member", "other_term", "secretary", "staff"]


@pytest.fixture
def browsers(alice, member, ex_member, other_term_member, secretary, staff_without_role) -> dict[str, Client]:
    return {
        "anonymous": Client(),
        "citizen": logged_in(alice),
        "member": logged_in(member),
        "ex_member": logged_in(ex_member),
        "other_term": logged_in(other_term_member),
        "secretary": logged_in(secretary),
        "staff": logged_in(staff_without_role),
    }


@pytest.fixture
def in_review(term):
    """An upcoming session whose agenda is published: an item with a public and a members-only document."""
    session = SessionFactory(term=term, title="Sesión en revisión")
    item = AgendaItemFactory(session=session, title="Regularización")
    AgendaDocumentFactory(item=item, title="Presentación pública", visibility=DocumentVisibility.PUBLIC)
    AgendaDocumentFactory(item=item, title="Borrador reservado XYZZY", visibility=DocumentVisibility.MEMBERS)
    services.session_publish_agenda(session=session)
    return session


@pytest.fixture
def planned(term):
    session = SessionFactory(term=term, title="Sesión planificada secreta")
    AgendaItemFactory(session=session, title="Punto no publicado")
    return session


@pytest.fixture
def held_with_draft(term):
    """Held last week; its draft minutes are shared with members for comments."""
    session = SessionFactory(term=term, title="Sesión realizada", date=today() - datetime.timedelta(days=7))
    AgendaItemFactory(session=session)
    services.session_publish_agenda(session=session)
    services.session_mark_held(session=session)
    minutes = services.minutes_save(
        minutes=Minutes(session=session, body_es="<p>Borrador del acta QWERTY</p>")
    )
    services.minutes_share(minutes=minutes)
    return session


@pytest.fixture
def approved(term):
    """Held a month ago, minutes approved, two agreements."""
    session = SessionFactory(term=term, title="Sesión con acta", date=today() - datetime.timedelta(days=30))
    AgendaItemFactory(session=session)
    services.session_publish_agenda(session=session)
    services.session_mark_held(session=session)
    minutes = services.minutes_save(minutes=Minutes(session=session, body_es="<p>Acta aprobada</p>"))
    services.minutes_approve(minutes=minutes)
    AgreementFactory(session=session, text="Acuerdo público uno")
    return session


@pytest.fixture
def old_session(old_term):
    """A session of the previous term with a published agenda."""
    session = SessionFactory(
        term=old_term, title="Sesión del periodo anterior", date=old_term.start + datetime.timedelta(days=30)
    )
    item = AgendaItemFactory(session=session)
    AgendaDocumentFactory(
        item=item, title="Documento antiguo reservado", visibility=DocumentVisibility.MEMBERS
    )
    services.session_publish_agenda(session=session)
    return session
