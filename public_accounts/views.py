from __future__ import annotations

import csv
import io
from datetime import timedelta

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from engine.files import serve_file
from engine.fragments import render_with_shared, shared_fragment
from engine.notifications import selectors as notification_selectors
from engine.notifications import subscription_set
from engine.pagination import PAGE_PARAMETER, paginate
from engine.reports.renderers import cell_value
from participants import services as participant_services
from participants.forms import ParticipantAttributesForm
from participants.mfa import mfa_required
from participants.models import Participant
from public_accounts import emails, permissions, selectors, services
from public_accounts.forms import EmailForm, InPersonQuestionForm, QuestionForm, StaffAttributesForm
from public_accounts.models import PublicAccount

EMAIL_SESSION_KEY = "public-account-{pk}-email"
PARTICIPANT_SESSION_KEY = "public-account-participant"
OWN_QUESTIONS_SESSION_KEY = "public-account-questions"


def _get_account_for_user(request: HttpRequest, year: int) -> selectors.AccountAccess:
    return selectors.account_access(year=year, user=request.user)


def _own_session_questions(request: HttpRequest) -> set[int]:
    return set(request.session.get(OWN_QUESTIONS_SESSION_KEY, []))


def index(request: HttpRequest) -> HttpResponse:
    accounts = selectors.account_list(permissions.ANONYMOUS)
    current = next((a for a in accounts if a.is_open_for_questions), accounts[0] if accounts else None)
    return render(
        request,
        "public_accounts/account_list.html",
        {"current": current, "past": [a for a in accounts if a is not current]},
    )


def _section_filter(value: str, account: PublicAccount) -> int | None:
    if value.isdigit() and any(s.pk == int(value) for s in account.sections.all()):
        return int(value)
    return None


DETAIL_PARAMETERS = ("seccion", PAGE_PARAMETER)


def _detail_body(request: HttpRequest, account: PublicAccount) -> str:
    """The account's content and one page of its public questions: nothing here depends on the reader."""
    selectors.account_content(account)
    section_id = _section_filter(request.GET.get("seccion", ""), account)
    questions = paginate(
        request,
        selectors.public_questions(account, section_id=section_id),
        settings.PUBLIC_ACCOUNT_QUESTIONS_PER_PAGE,
        keep=("seccion",),
        fragment="respuestas",
    )
    selectors.questions_know_their_account(questions, account)
    context = {
        "account": account,
        "commitments": selectors.previous_commitments(account),
        "questions": questions,
        "section_id": section_id,
    }
    return render_to_string("public_accounts/_account_detail_body.html", context)


def detail(request: HttpRequest, year: int) -> HttpResponse:
    access = selectors.account_access(year=year, user=request.user, shared=True)
    account = access.account
    following = None
    if request.user.is_authenticated:
        following = notification_selectors.is_following(user=request.user, target=account)
    values = [request.GET.get(name, "") for name in DETAIL_PARAMETERS]
    if access.preview or not all(v == "" or (v.isdigit() and len(v) < 7) for v in values):
        # A preview for staff is never shared; neither is an address no link makes (kept out of the cache).
        body = mark_safe(_detail_body(request, account))  # noqa: S308  (our own template's output)
    else:
        # Same for every reader in a language (built for ANONYMOUS): rendered once per section and page.
        body = shared_fragment(
            f"public_accounts:detail:{account.pk}:{get_language()}:{':'.join(values)}",
            render=lambda: _detail_body(request, account),
        )
    return render_with_shared(
        request,
        "public_accounts/account_detail.html",
        {"account": account, "preview": access.preview, "following": following},
        body,
    )


@require_POST
@login_required
def follow(request: HttpRequest, year: int) -> HttpResponse:
    account = _get_account_for_user(request, year).account
    subscription_set(user=request.user, target=account)
    messages.success(request, _("Le avisaremos por correo cuando se publiquen las respuestas."))
    return redirect(account.get_absolute_url())


def _participant_for(request: HttpRequest, email: str) -> Participant | None:
    """The person asking: their own participant when signed in; for a confirmed email, the participant this
    browser created with its first question (so a double submit finds the first question)."""
    if request.user.is_authenticated:
        return participant_services.participant_for_user(user=request.user)
    pk = request.session.get(PARTICIPANT_SESSION_KEY, {}).get(email)
    return Participant.objects.filter(pk=pk, user__isnull=True).first() if pk else None


@never_cache
def ask(request: HttpRequest, year: int) -> HttpResponse:
    account = _get_account_for_user(request, year).account
    if not account.accepts_online_questions:
        raise Http404
    email = (
        ""
        if request.user.is_authenticated
        else request.session.get(EMAIL_SESSION_KEY.format(pk=account.pk), "")
    )
    may_ask = permissions.may_ask(request.user, account, confirmed_email=bool(email))
    sections = list(account.sections.all())
    posted = request.POST if request.method == "POST" else None
    initial = {}
    if request.GET.get("seccion", "").isdigit():
        initial["section"] = request.GET["seccion"]
    form = QuestionForm(posted, account=account, sections=sections, initial=initial)
    participant = _participant_for(request, email) if may_ask and request.user.is_authenticated else None
    profile_form = ParticipantAttributesForm(posted, instance=participant, prefix="perfil")
    context = {
        "account": account,
        "form": form,
        "profile_form": profile_form,
        "may_ask": may_ask,
        "is_open": account.is_open_for_questions,
        "email": email,
    }
    if request.method != "POST" or not may_ask:
        return render(request, "public_accounts/ask.html", context)
    if not account.is_open_for_questions:
        # The text stays in the form so the person can keep it; nothing is stored.
        form.is_valid()
        context["refused"] = True
        return render(request, "public_accounts/ask.html", context, status=409)
    if not (form.is_valid() and profile_form.is_valid()):
        return render(request, "public_accounts/ask.html", context, status=400)
    try:
        with transaction.atomic():
            if participant is None:
                participant = _participant_for(request, email) or participant_services.participant_record()
            if profile_form.has_changed():
                participant_services.participant_attributes_update(
                    participant=participant,
                    attributes=_attributes(profile_form),
                    consented=profile_form.consented(),
                )
            question = services.question_submit(
                account=account,
                participant=participant,
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
                kind=form.cleaned_data["kind"],
                section=form.section_object,
                topic=form.cleaned_data["topic"],
                contact=email,
            )
    except services.WindowClosed:
        context["refused"] = True
        return render(request, "public_accounts/ask.html", context, status=409)
    if not request.user.is_authenticated:
        request.session[PARTICIPANT_SESSION_KEY] = {email: participant.pk}
        request.session[OWN_QUESTIONS_SESSION_KEY] = sorted(_own_session_questions(request) | {question.pk})
    messages.success(
        request, _("Recibimos su pregunta. El equipo la revisará y la respuesta se publicará en esta página.")
    )
    return redirect(question.get_absolute_url())


def _attributes(form: ParticipantAttributesForm) -> dict:
    return {name: form.cleaned_data[name] for name in ParticipantAttributesForm.Meta.fields}


def email_start(request: HttpRequest, year: int) -> HttpResponse:
    account = _get_account_for_user(request, year).account
    if not account.accepts_online_questions:
        raise Http404
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        confirmation = services.email_confirmation_create(account=account, email=form.cleaned_data["email"])
        emails.question_link(request=request, account=account, confirmation=confirmation)
        return render(request, "public_accounts/email_sent.html", {"account": account})
    return render(request, "public_accounts/email_start.html", {"account": account, "form": form})


def email_confirm(request: HttpRequest, year: int, nonce) -> HttpResponse:
    account = _get_account_for_user(request, year).account
    if request.method != "POST":
        # A mail scanner following the link must not use it up: the person confirms with a button.
        return render(request, "public_accounts/email_confirm.html", {"account": account})
    email = services.email_confirmation_use(
        account=account,
        nonce=nonce,
        max_age=timedelta(seconds=settings.PUBLIC_ACCOUNT_LINK_MAX_AGE),
        browser_secret=request.META.get("CSRF_COOKIE", ""),
    )
    if email is None:
        messages.error(request, _("Este enlace ya se usó o venció. Pida uno nuevo."))
        return redirect("public_accounts:email-start", year=year)
    request.session.cycle_key()
    request.session[EMAIL_SESSION_KEY.format(pk=account.pk)] = email
    return redirect("public_accounts:ask", year=year)


def question(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    item = selectors.question_access(year=year, pk=pk, user=request.user, own=_own_session_questions(request))
    own = item.pk in _own_session_questions(request) or (
        request.user.is_authenticated and item.participant.user_id == request.user.pk
    )
    return render(request, "public_accounts/question_detail.html", {"question": item, "own": own})


@login_required
def my_questions(request: HttpRequest) -> HttpResponse:
    page = paginate(
        request, selectors.own_questions(request.user), settings.PUBLIC_ACCOUNT_QUESTIONS_PER_PAGE
    )
    for question in page:
        if question.merged_into is not None:  # its link needs the account's year: the same account
            question.merged_into.account = question.account
    return render(request, "public_accounts/my_questions.html", {"questions": page})


ANSWERS_PER_PAGE = 100


def _answers_body(request: HttpRequest, account: PublicAccount) -> str:
    page = paginate(request, selectors.published_answers(account), ANSWERS_PER_PAGE)
    context = {
        "account": account,
        "page": page,
        "groups": selectors.group_by_section(page),
        "documents": account.answer_documents.order_by("-version"),
    }
    return render_to_string("public_accounts/_answers_body.html", context)


def answers(request: HttpRequest, year: int) -> HttpResponse:
    """The answers, a hundred at a time by section (the dated PDF holds them all), the same for every reader:
    shared per language and page."""
    access = selectors.account_access(year=year, user=request.user, shared=True)
    account = access.account
    if account.answers_published_at is None:
        raise Http404
    number = request.GET.get(PAGE_PARAMETER, "")
    if access.preview or not (number == "" or (number.isdigit() and len(number) < 7)):
        body = mark_safe(_answers_body(request, account))  # noqa: S308  (our own template's output)
    else:
        body = shared_fragment(
            f"public_accounts:answers:{account.pk}:{get_language()}:{number}",
            render=lambda: _answers_body(request, account),
        )
    return render(request, "public_accounts/answers.html", {"account": account, "body": body})


def answers_pdf(request: HttpRequest, year: int, version: int) -> HttpResponse:
    account = _get_account_for_user(request, year).account
    document = get_object_or_404(account.answer_documents, version=version)
    return serve_file(
        request,
        document.file,
        download_name=document.file_name or f"respuestas-{year}-v{version}",
        public=permissions.may_view(permissions.ANONYMOUS, account),
    )


def attachment(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    account = _get_account_for_user(request, year).account
    item = get_object_or_404(account.attachments.exclude(file=""), pk=pk)
    return serve_file(
        request,
        item.file,
        download_name=item.file_name or item.title,
        public=permissions.may_view(permissions.ANONYMOUS, account),
    )


def cosoc_document(request: HttpRequest, year: int) -> HttpResponse:
    account = _get_account_for_user(request, year).account
    if not account.cosoc_document:
        raise Http404
    return serve_file(
        request,
        account.cosoc_document,
        download_name=account.cosoc_document_name or _("Observaciones del COSOC"),
        public=permissions.may_view(permissions.ANONYMOUS, account),
    )


def _budget_lines(account: PublicAccount) -> list[list[object]]:
    header: list[object] = [
        _("Programa"),
        _("Presupuesto (pesos)"),
        _("Ejecutado (pesos)"),
        _("Ejecución (%)"),
    ]
    lines = [header]
    for line in account.budget_lines.all():
        percent = line.percent
        lines.append(
            [
                line.program,
                int(line.budget),
                int(line.executed),
                float(percent) if percent is not None else "",
            ]
        )
    return lines


def budget(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The budget execution table as CSV (formula-safe) or XLSX, in the page's language."""
    account = _get_account_for_user(request, year).account
    lines = [[cell_value(value) for value in line] for line in _budget_lines(account)]
    name = f"ejecucion-presupuestaria-{account.year}-{get_language()}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(lines)
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook  # noqa: PLC0415  (heavy: web processes start without it)

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(account.year)
        for line in lines:
            sheet.append(line)
        output = io.BytesIO()
        workbook.save(output)
        response = HttpResponse(
            output.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404


def presentations_ical(request: HttpRequest) -> HttpResponse:
    """Presentation events of public accounts only: the same rule as the pages."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SERMIG//Participación ciudadana//ES")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Cuentas públicas SERMIG"))
    for event in selectors.public_events()[:200]:
        item = icalendar.Event()
        item.add("uid", f"cuenta-publica-{event.pk}@participacion.serviciomigraciones.cl")
        item.add("summary", f"{event.title} — {event.account.title}")
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at)
        item.add("dtstamp", timezone.now())
        location = ", ".join(filter(None, [event.place, event.address])) or event.online_url
        if location:
            item.add("location", location)
        item.add("url", event.online_url or request.build_absolute_uri(event.account.get_absolute_url()))
        description = "\n".join(filter(None, [event.online_url, event.video_url]))
        if description:
            item.add("description", description)
        calendar.add_component(item)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


@never_cache
@login_required
@mfa_required
def in_person(request: HttpRequest, year: int) -> HttpResponse:
    """Staff type in questions asked at the presentation, on paper or aloud."""
    if not permissions.may_moderate(request.user):
        raise Http404
    account = get_object_or_404(PublicAccount, year=year)
    posted = request.POST if request.method == "POST" else None
    sections = list(account.sections.order_by("order", "pk"))
    form = InPersonQuestionForm(posted, account=account, sections=sections)
    person_form = StaffAttributesForm(posted, prefix="persona")
    if request.method == "POST" and form.is_valid() and person_form.is_valid():
        services.question_record_in_person(
            account=account,
            staff=request.user,
            text=form.cleaned_data["text"],
            language=form.cleaned_data["language"],
            kind=form.cleaned_data["kind"],
            section=form.section_object,
            topic=form.cleaned_data["topic"],
            contact=form.cleaned_data["contact"],
            attributes={name: person_form.cleaned_data[name] for name in StaffAttributesForm.Meta.fields},
            consented=person_form.consented(),
        )
        messages.success(request, _("Pregunta registrada. Puede registrar la siguiente."))
        return redirect("public_accounts:in-person", year=year)
    return render(
        request,
        "public_accounts/in_person.html",
        {"account": account, "form": form, "person_form": person_form, "admin_url": reverse("admin:index")},
    )
