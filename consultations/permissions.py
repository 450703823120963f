"""Who may see and do what in consultations. Every surface asks these predicates, and nothing else decides.

Pages, POSTs, downloads, the search index, the sitemap, the iCal feed, the home page block and emails all
call the predicate of the object they show: "is it public?" is ``may_view(ANONYMOUS, obj)``. Views turn a
``False`` into a 404 (never a 403 that would confirm the object exists) or a redirect to sign in; the admin's
``has_*_permission`` methods and the selectors call the same functions. The URL × persona tables in
``tests/consultations/test_permissions.py`` are the tests of this module.

Staff rights always need an activated second factor (``participants.permissions.staff_may``).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from consultations.models import Consultation, ConsultationDocument, ConsultationPlan, ProposalCall
from participants.permissions import ANONYMOUS, staff_may

__all__ = [
    "ANONYMOUS",
    "may_answer",
    "may_enter_assisted",
    "may_moderate",
    "may_preview",
    "may_view",
    "may_view_document",
    "may_view_plan",
    "may_view_proposal_call",
    "may_view_results",
    "may_view_responses",
    "plans_visible_to",
    "proposal_calls_visible_to",
    "visible_q",
    "visible_to",
]


def may_preview(user) -> bool:
    """Staff who may see consultations before they are published, and walk through them as a citizen."""
    return staff_may(user, "consultations.view_consultation")


def visible_q(user, prefix: str = "") -> Q:
    """The visibility rule as a filter: on consultations, or on rows that belong to one
    (``prefix="consultation__"`` for dialogues, documents, responses)."""
    return Q() if may_preview(user) else Q(**{f"{prefix}is_published": True})


def visible_to(user) -> QuerySet[Consultation]:
    """The consultations ``user`` may open: published ones, and every one for staff who may preview."""
    return Consultation.objects.filter(visible_q(user))


def may_view(user, consultation: Consultation) -> bool:
    return consultation.is_published or may_preview(user)


def may_view_results(user, consultation: Consultation, *, preview: bool = False) -> bool:
    """Results are public once published; staff see them earlier only when they ask for a preview."""
    return consultation.results_are_public or (preview and may_preview(user))


def may_answer(user, consultation: Consultation, *, confirmed_email: bool = False) -> bool:
    """Signed-in people, or people who confirmed an email where the consultation allows that. Whether it is
    open is the page's business: a closed consultation explains itself instead of sending people away."""
    if not consultation.has_online_questionnaire:
        return False
    return user.is_authenticated or (consultation.allow_anonymous and confirmed_email)


def may_view_document(user, document: ConsultationDocument) -> bool:
    return may_view(user, document.consultation)


def may_view_plan(user, plan: ConsultationPlan) -> bool:
    return plan.published_at is not None or may_preview(user)


def plans_visible_to(user) -> QuerySet[ConsultationPlan]:
    plans = ConsultationPlan.objects.all()
    return plans if may_preview(user) else plans.filter(published_at__isnull=False)


def may_view_proposal_call(user, call: ProposalCall) -> bool:
    return call.is_published or may_preview(user)


def proposal_calls_visible_to(user) -> QuerySet[ProposalCall]:
    calls = ProposalCall.objects.all()
    return calls if may_preview(user) else calls.filter(is_published=True)


def may_enter_assisted(user) -> bool:
    """Staff who type in paper and phone responses for people who cannot use the web."""
    return staff_may(user, "consultations.enter_assisted_response")


def may_moderate(user) -> bool:
    """Staff who publish open-text answers after removing personal data."""
    return staff_may(user, "consultations.moderate_answers")


def may_view_responses(user) -> bool:
    """Staff who may order reports built from individual responses (still suppressed unless raw counts)."""
    return staff_may(user, "consultations.view_response")
