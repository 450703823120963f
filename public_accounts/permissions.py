"""Who may see and do what in public accounts. Every surface asks these predicates, and nothing else decides.

Pages, POSTs, downloads, the search index, the sitemap, the iCal feed, the home page blocks and emails call
the predicate of the object they show: "is it public?" is ``may_view(ANONYMOUS, obj)``. Views turn ``False``
into a 404. The admin's ``has_*_permission`` methods call the same functions. Staff rights always need an
activated second factor (``participants.permissions.staff_may``). The URL × persona tables in
``tests/public_accounts/test_permissions.py`` are the tests of this module.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from participants.permissions import ANONYMOUS, staff_may
from public_accounts.models import AnswerState, PublicAccount, Question, Status

__all__ = [
    "ANONYMOUS",
    "accounts_visible_to",
    "may_answer",
    "may_approve",
    "may_ask",
    "may_handle_question",
    "may_moderate",
    "may_preview",
    "may_publish_answers",
    "may_view",
    "may_view_question",
    "may_work_on_questions",
    "public_questions_q",
    "questions_handled_by",
]


def may_preview(user) -> bool:
    """Staff who may see an account before its summary is published (COSOC review, preview)."""
    return staff_may(user, "public_accounts.view_publicaccount")


def accounts_visible_to(user) -> QuerySet[PublicAccount]:
    accounts = PublicAccount.objects.all()
    return accounts if may_preview(user) else accounts.public()


def may_view(user, account: PublicAccount) -> bool:
    return account.is_public or may_preview(user)


def may_ask(user, account: PublicAccount, *, confirmed_email: bool = False) -> bool:
    """Signed-in people with a verified address, or people who confirmed an email by a one-time link.
    Whether the window is open is the page's business: outside it the form explains itself."""
    if not account.is_public or not account.accepts_online_questions:
        return False
    if user.is_authenticated:
        return _has_verified_email(user)
    return confirmed_email


def _has_verified_email(user) -> bool:
    # allauth's EmailAddress; a person who has not confirmed their address yet uses the one-time link.
    return user.emailaddress_set.filter(verified=True).exists()


def public_questions_q(prefix: str = "") -> Q:
    """Questions everyone may read: accepted (or merged, pointing at the one answered)."""
    return Q(**{f"{prefix}status__in": [Status.ACCEPTED, Status.MERGED]})


def may_view_question(user, question: Question, *, own: bool = False) -> bool:
    """Accepted and merged questions of a public account are public; the author sees their own in every
    state (a rejection and its reason included); staff who handle questions see all."""
    if may_handle_question(user, question):
        return True
    if not may_view(user, question.account):
        return False
    if question.status in (Status.ACCEPTED, Status.MERGED):
        return True
    return own or (user.is_authenticated and question.participant.user_id == user.pk)


def may_moderate(user) -> bool:
    return staff_may(user, "public_accounts.moderate_question")


def may_approve(user) -> bool:
    return staff_may(user, "public_accounts.approve_answer")


def may_publish_answers(user) -> bool:
    return staff_may(user, "public_accounts.publish_answers")


def _may_answer_any(user) -> bool:
    return staff_may(user, "public_accounts.answer_question")


def may_work_on_questions(user) -> bool:
    """Staff who open the questions list in admin: moderators, approvers, publishers, answering units."""
    return may_moderate(user) or may_approve(user) or may_publish_answers(user) or _may_answer_any(user)


def questions_handled_by(user) -> QuerySet[Question]:
    """The questions a staff member works on in admin: moderators and approvers see all; people of an
    answering unit see the accepted questions assigned to one of their groups; nobody else any."""
    questions = Question.objects.all()
    if may_moderate(user) or may_approve(user) or may_publish_answers(user):
        return questions
    if _may_answer_any(user):
        return questions.filter(status=Status.ACCEPTED, unit__in=user.groups.all())
    return questions.none()


def may_handle_question(user, question: Question) -> bool:
    if may_moderate(user) or may_approve(user) or may_publish_answers(user):
        return True
    return (
        _may_answer_any(user)
        and question.status == Status.ACCEPTED
        and question.unit_id is not None
        and user.groups.filter(pk=question.unit_id).exists()
    )


def may_answer(user, question: Question) -> bool:
    """Draft (or correct) the answer: the assigned unit or an approver, until it is published."""
    if question.status != Status.ACCEPTED or question.answer_state == AnswerState.PUBLISHED:
        return False
    return may_approve(user) or (_may_answer_any(user) and may_handle_question(user, question))
