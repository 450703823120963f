from __future__ import annotations

import functools
import hashlib
from datetime import timedelta

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from consultations import answers as answer_rules
from consultations import emails, permissions, selectors, services
from consultations.forms import AnonymousEmailForm, AssistedChannelForm, QuestionnaireForm, TopicProposalForm
from consultations.models import Consultation, ConsultationDocument, Phase, Response
from consultations.results import CONSULTATION_RESULTS, results_for_reader
from consultations.selectors import ConsultationAccess
from engine import reports
from engine.files import serve_file
from engine.fragments import render_with_shared, shared_fragment, shared_fragments
from engine.notifications import subscription_set
from engine.pagination import paginate
from participants import services as participant_services
from participants.forms import ParticipantAttributesForm, StaffParticipantForm
from participants.mfa import mfa_required

ANONYMOUS_SESSION_KEY = "consultation-{pk}-email-hash"


def _get_consultation_for_user(
    request: HttpRequest, slug: str, *, lean: bool = False, with_response: bool = False
) -> ConsultationAccess:
    """The consultation if this person may see it (else 404), their own response if asked, whether they
    may answer and whether this is a staff preview (``?vista_previa=1``, or any unpublished consultation)."""
    return selectors.consultation_access(
        slug=slug,
        user=request.user,
        confirmed_email=lambda pk: request.session.get(ANONYMOUS_SESSION_KEY.format(pk=pk), ""),
        preview_requested=request.GET.get("vista_previa") == "1",
        lean=lean,
        with_response=with_response,
    )


def _start_response(request: HttpRequest, access: ConsultationAccess) -> tuple[Response, bool]:
    """The requester's response, inserted by their first valid answer after a lookup found none.

    Returns it and whether this request created it (a concurrent request may have been first).
    """
    if request.user.is_authenticated:
        # The participant row is made only to save.
        participant = participant_services.participant_for_user(user=request.user)
        return services.response_create_or_get(consultation=access.consultation, participant=participant)
    return services.response_create_or_get(consultation=access.consultation, hashed_email=access.email_hash)


CONSULTATIONS_PER_PAGE = 20
DETAIL_ROWS_PER_PAGE = 20
ICAL_PAST_DAYS = 365
ICAL_MAX_EVENTS = 500


def index(request: HttpRequest) -> HttpResponse:
    """The same list for everyone (built for ``ANONYMOUS``): rendered once per language and page, shared."""
    number = request.GET.get("pagina") or "1"
    key = f"consultations:index:{get_language()}:{number if number.isdigit() and len(number) < 6 else '-'}"
    content = shared_fragment(key, render=lambda: _index_content(request))
    return render(request, "consultations/consultation_list.html", {"content": content})


def _index_content(request: HttpRequest) -> str:
    page = paginate(request, selectors.consultation_index(), CONSULTATIONS_PER_PAGE)
    groups: dict[str, list[Consultation]] = {"open": [], "announced": [], "closed": []}
    for consultation in page:
        rank = consultation.phase_rank
        if rank == selectors.OPEN_RANK:
            groups["open"].append(consultation)
        elif rank == selectors.ANNOUNCED_RANK:
            groups["announced"].append(consultation)
        else:
            groups["closed"].append(consultation)
    first = page.number == 1
    return render_to_string(
        "consultations/_consultation_index.html",
        {
            **groups,
            "page": page,
            "first_page": first,
            "dialogues": selectors.upcoming_dialogues()[:10] if first else [],
            "plans": permissions.plans_visible_to(permissions.ANONYMOUS)[:3] if first else [],
            "calls": list(permissions.proposal_calls_visible_to(permissions.ANONYMOUS)[:3]) if first else [],
        },
    )


def _detail_lists(request: HttpRequest, consultation: Consultation) -> dict:
    """The consultation's own lists, each a page at a time with its own parameter."""
    pages = DETAIL_LIST_PARAMETERS
    return {
        "documents": paginate(
            request,
            selectors.consultation_documents(consultation),
            DETAIL_ROWS_PER_PAGE,
            param="documentos",
            keep=pages,
            fragment="documents-title",
        ),
        "dialogues": paginate(
            request,
            selectors.consultation_dialogues(consultation),
            DETAIL_ROWS_PER_PAGE,
            param="dialogos",
            keep=pages,
            fragment="dialogues-title",
        ),
        "commitments": _commitments(request, consultation, keep=pages),
    }


def _commitments(request: HttpRequest, consultation: Consultation, *, keep=("compromisos",)):
    if not (consultation.phase == Phase.RESPONSE and hasattr(consultation, "institutional_response")):
        return None
    return paginate(
        request,
        selectors.consultation_commitments(consultation),
        DETAIL_ROWS_PER_PAGE,
        param="compromisos",
        keep=keep,
        fragment="commitments-title",
    )


DETAIL_LIST_PARAMETERS = ("documentos", "dialogos", "compromisos")


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.consultation_page(
        slug=slug, user=request.user, preview_requested=request.GET.get("vista_previa") == "1"
    )
    consultation = access.consultation

    full = functools.cache(lambda: selectors.consultation_full(consultation))  # read once, only to render

    def head() -> str:
        context = {"consultation": full(), "preview": access.preview}
        return render_to_string("consultations/_consultation_detail_head.html", context)

    def body() -> str:
        lists = _detail_lists(request, full())
        context = {"consultation": full(), **lists}
        return render_to_string("consultations/_consultation_detail_body.html", context)

    if access.preview or not permissions.may_view(permissions.ANONYMOUS, consultation):
        # Staff only, never shared (our own templates' output).
        head_html, content = mark_safe(head()), mark_safe(body())  # noqa: S308
    else:
        # The title, dates and scope, the position paper and the lists are the same for every reader: shared
        # per language (and phase, and list pages), read together. Only the answer and follow buttons are the
        # reader's.
        language = get_language()
        pages = ":".join(request.GET.get(name, "")[:6] for name in DETAIL_LIST_PARAMETERS)
        head_html, content = shared_fragments(
            (f"consultations:detail-head:{consultation.pk}:{language}:{consultation.phase}", head, None),
            (f"consultations:detail:{consultation.pk}:{language}:{pages}", body, None),
        )
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "response_status": access.response_status,
            "following": access.following,
            "preview": access.preview,
            "head": head_html,
            "body": content,
        },
    )


@require_POST
@login_required
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow one consultation: hear when it opens, when results and SERMIG's response come out."""
    consultation = _get_consultation_for_user(request, slug, lean=True).consultation
    subscription_set(user=request.user, target=consultation)
    messages.success(request, _("Le avisaremos por correo de las novedades de esta consulta."))
    return redirect(consultation.get_absolute_url())


def _start_or_login(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    if consultation.allow_anonymous:
        return redirect("consultations:anonymous-start", slug=consultation.slug)
    return redirect(f"{reverse('account_login')}?next={request.path}")


def _refuse_unknown_fields(request: HttpRequest, form: QuestionnaireForm, extra: set[str]) -> bool:
    allowed = {"csrfmiddlewaretoken", "action"} | set(form.fields) | extra
    return bool(set(request.POST) - allowed)


@never_cache
def answer(request: HttpRequest, slug: str, step: int) -> HttpResponse:
    access = _get_consultation_for_user(request, slug, lean=True, with_response=True)
    consultation, response, preview = access.consultation, access.response, access.preview
    sections = selectors.questionnaire(consultation)
    if not consultation.has_online_questionnaire or not sections or not 1 <= step <= len(sections):
        raise Http404
    if not access.may_answer:
        return _start_or_login(request, consultation)
    if response and response.status == Response.Status.SUBMITTED:
        return redirect("consultations:thanks", slug=slug)

    section = sections[step - 1]
    questions = list(section.questions.all())
    in_section = {q.pk for q in questions}
    # A posted form shows what was posted: the saved answers matter then only for conditions on other sections.
    needs_saved = request.method != "POST" or answer_rules.depends_on_other_questions(questions, in_section)
    initial = selectors.response_answers(response) if response and needs_saved else {}
    # Options chosen in other sections; this section's own choices come from what is posted now.
    chosen = answer_rules.chosen_options(value for q_id, value in initial.items() if q_id not in in_section)
    earlier = {q.pk for s in sections[: step - 1] for q in s.questions.all()}
    questions = answer_rules.section_questions(questions, earlier=earlier, chosen=chosen)
    action = request.POST.get("action", "next")
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        chosen=chosen,
        enforce_required=action in ("next", "review"),
        initial_answers=initial,
    )
    if request.method == "POST":
        if _refuse_unknown_fields(request, form, set()):
            return HttpResponseBadRequest(
                _("El formulario tenía campos desconocidos. Vuelva a cargar la página.")
            )
        if not consultation.is_open and not preview:
            messages.error(
                request,
                _("Esta consulta no está abierta: no podemos guardar respuestas. Su borrador se conserva."),
            )
            return redirect(consultation.get_absolute_url())
        if form.is_valid():
            if not preview:
                # The response row is created by the first valid answer, not by looking or by a refused POST.
                created = False
                if response is None:
                    response, created = _start_response(request, access)
                try:
                    services.response_save_answers(
                        response=response, answers=form.answer_values(), created=created
                    )
                except services.ResponseSubmitted:  # submitted from another tab meanwhile
                    return redirect("consultations:thanks", slug=slug)
            if action == "save":
                if preview:
                    messages.info(request, _("Vista previa: no se guardó nada."))
                else:
                    messages.success(request, _("Guardamos su borrador. Puede volver cuando quiera."))
                return redirect(_step_url(slug, step, preview))
            if action == "previous" and step > 1:
                return redirect(_step_url(slug, step - 1, preview))
            if step < len(sections):
                return redirect(_step_url(slug, step + 1, preview))
            return redirect(_review_url(slug, preview))
    return render(
        request,
        "consultations/answer_section.html",
        {
            "consultation": consultation,
            "section": section,
            "form": form,
            "questions_html": _questions_html(consultation, section, form),
            "step": step,
            "steps": len(sections),
            "progress": round(100 * (step - 1) / len(sections)),
            "preview": preview,
        },
    )


def _questions_html(consultation: Consultation, section, form: QuestionnaireForm) -> str:
    """A section's questions. Not yet answered and not posted, they look the same to every respondent who was
    asked the same questions (conditions may hide some): rendered once per questionnaire version, section,
    language and set of questions, and shared. With someone's answers or errors, rendered for them alone."""

    def render() -> str:
        return render_to_string("consultations/_questions.html", {"form": form})

    if form.is_bound or form.initial:
        return mark_safe(render())  # noqa: S308  (our own template's output, autoescaped)
    asked = hashlib.sha256(",".join(str(q.pk) for q in form.questions).encode()).hexdigest()[:16]
    return shared_fragment(
        f"consultations:questions:{consultation.pk}:{consultation.created_at.timestamp()}"
        f":{consultation.questionnaire_version}:{section.pk}:{get_language()}:{asked}",
        render=render,
    )


@never_cache
def resume(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Continue my response": the section where the person left their draft, or the review when every
    section is answered; a submitted response leads to the thanks page."""
    access = _get_consultation_for_user(request, slug, lean=True, with_response=True)
    consultation, response = access.consultation, access.response
    if not consultation.has_online_questionnaire:
        raise Http404
    if not access.may_answer:
        return _start_or_login(request, consultation)
    if response and response.status == Response.Status.SUBMITTED:
        return redirect("consultations:thanks", slug=slug)
    step = selectors.resume_step(consultation, response)
    if step is None:
        return redirect(_review_url(slug, access.preview))
    return redirect(_step_url(slug, step, access.preview))


def _step_url(slug: str, step: int, preview: bool) -> str:
    url = reverse("consultations:answer", kwargs={"slug": slug, "step": step})
    return f"{url}?vista_previa=1" if preview else url


def _review_url(slug: str, preview: bool) -> str:
    url = reverse("consultations:review", kwargs={"slug": slug})
    return f"{url}?vista_previa=1" if preview else url


@never_cache
def review(request: HttpRequest, slug: str) -> HttpResponse:
    access = _get_consultation_for_user(request, slug, lean=True, with_response=True)
    consultation, response, preview = access.consultation, access.response, access.preview
    if response is None and not preview:
        if access.may_answer:
            return redirect("consultations:answer", slug=slug, step=1)
        return _start_or_login(request, consultation)
    if response and response.status == Response.Status.SUBMITTED:
        return redirect("consultations:thanks", slug=slug)
    participant = response.participant if response else None
    profile_form = ParticipantAttributesForm(
        request.POST if request.method == "POST" else None, instance=participant, prefix="perfil"
    )
    if request.method == "POST":
        if preview:
            messages.info(request, _("Vista previa: no se guardó nada."))
            return redirect(consultation.get_absolute_url())
        if not profile_form.is_valid():
            messages.error(request, _("Revise sus datos de perfil."))
        else:
            try:
                with transaction.atomic():
                    # Left as it was pre-filled, the profile needs no write.
                    if profile_form.has_changed():
                        participant_services.participant_attributes_update(
                            participant=participant,
                            attributes=profile_form.attributes(),
                            consented=profile_form.consented(),
                        )
                    services.response_submit(response=response)
            except services.ConsultationClosed:
                messages.error(
                    request,
                    _("Esta consulta ya no está abierta. Su borrador se conserva, pero no se puede enviar."),
                )
                return redirect(consultation.get_absolute_url())
            except services.IncompleteResponse as error:
                first = error.missing[0]
                order = list(consultation.sections.order_by("order", "pk").values_list("pk", flat=True))
                step = order.index(first.section_id) + 1
                messages.error(request, _("Faltan respuestas obligatorias. Complete las preguntas marcadas."))
                return redirect("consultations:answer", slug=slug, step=step)
            return redirect("consultations:thanks", slug=slug)
    # Built only to show the page: a successful submission never needs them.
    sections = selectors.questionnaire(consultation)
    answers = selectors.response_answers(response) if response else {}
    chosen = answer_rules.chosen_options(answers.values())
    # Only the questions this person was asked: a condition that was not met hides its question.
    reviewed = [
        (number, section, [q for q in section.questions.all() if answer_rules.is_visible(q, chosen)])
        for number, section in enumerate(sections, start=1)
    ]
    return render(
        request,
        "consultations/answer_review.html",
        {
            "consultation": consultation,
            "sections": reviewed,
            "answers": answers,
            "profile_form": profile_form,
            "profile_fields": _profile_fields(profile_form),
            "preview": preview,
            "steps": len(sections),
        },
    )


def _profile_fields(form: ParticipantAttributesForm) -> str:
    """The "about you" questions of the review. Most respondents have answered none yet: that blank form, with
    its ~330 options, is the same for all of them, so it is rendered once per language and shared; a form
    with someone's answers or errors is rendered for them alone."""

    def render() -> str:
        return render_to_string("participants/_attributes_fields.html", {"form": form})

    if form.is_blank():
        return shared_fragment(f"participants:attributes-form:{form.prefix}:{get_language()}", render=render)
    return mark_safe(render())  # noqa: S308  (our own template's output, autoescaped)


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    access = _get_consultation_for_user(request, slug, lean=True, with_response=True)
    consultation, response = access.consultation, access.response
    if response is None or response.status != Response.Status.SUBMITTED:
        raise Http404
    return render(
        request, "consultations/answer_thanks.html", {"consultation": consultation, "response": response}
    )


def anonymous_start(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _get_consultation_for_user(request, slug, lean=True).consultation
    if not consultation.allow_anonymous:
        raise Http404
    form = AnonymousEmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        confirmation = services.anonymous_confirmation_create(
            consultation=consultation, email=form.cleaned_data["email"]
        )
        emails.anonymous_confirmation(
            request=request,
            consultation=consultation,
            confirmation=confirmation,
            email=form.cleaned_data["email"],
        )
        return render(request, "consultations/anonymous_sent.html", {"consultation": consultation})
    return render(request, "consultations/anonymous_start.html", {"consultation": consultation, "form": form})


def anonymous_confirm(request: HttpRequest, slug: str, nonce) -> HttpResponse:
    consultation = _get_consultation_for_user(request, slug, lean=True).consultation
    if request.method != "POST":
        # A mail scanner following the link must not use it up: the person confirms with a button.
        return render(request, "consultations/anonymous_confirm.html", {"consultation": consultation})
    hashed = services.anonymous_confirmation_use(
        consultation=consultation,
        nonce=nonce,
        max_age=timedelta(seconds=settings.CONSULTATION_LINK_MAX_AGE),
        browser_secret=request.META.get("CSRF_COOKIE", ""),
    )
    if hashed is None:
        messages.error(request, _("Este enlace ya se usó o venció. Pida uno nuevo."))
        return redirect("consultations:anonymous-start", slug=slug)
    request.session.cycle_key()
    request.session[ANONYMOUS_SESSION_KEY.format(pk=consultation.pk)] = hashed
    return redirect("consultations:answer", slug=slug, step=1)


def results(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.results_page(
        slug=slug, user=request.user, preview_requested=request.GET.get("vista_previa") == "1"
    )
    consultation = access.consultation
    if not permissions.may_view_results(request.user, consultation, preview=access.preview):
        raise Http404
    full = functools.cache(lambda: selectors.consultation_full(consultation))  # read once, only to render

    shareable = []  # whether the page's results are the current copy, known once rendered

    def content() -> str:
        results = results_for_reader(consultation if consultation.results_are_public else full())
        shareable.append(results is not None and results.current)
        context = {
            "consultation": full(),
            "results": results,
            "report_languages": _report_links(full()),
            "commitments": _commitments(request, full()),
        }
        return render_to_string("consultations/_consultation_results_content.html", context)

    if access.preview or not permissions.may_view_results(permissions.ANONYMOUS, consultation):
        # A staff preview: rendered for this reader, never shared.
        html = mark_safe(content())  # noqa: S308  (our own template's output)
    else:
        # The same for every reader: shared per language, results copy and page of commitments, in one read.
        # While the results are being computed (none yet, or an older copy) the page is not shared. A copy
        # recomputed for new responses (the counters unchanged) shows once this one expires, as soon as on a
        # visitor's cached page (FRAGMENT_CACHE_SECONDS).
        copy = f"{consultation.created_at.timestamp()}:{consultation.questionnaire_version}"
        page = request.GET.get("compromisos", "")[:6]
        html = shared_fragment(
            f"consultations:results:{consultation.pk}:{copy}:{consultation.results_version}:"
            f"{get_language()}:{page}",
            render=content,
            keep=lambda: shareable[-1],
        )
    return render_with_shared(
        request, "consultations/consultation_results.html", {"consultation": consultation}, html
    )


def _report_links(consultation: Consultation) -> list[dict]:
    """The published systematisation report per language, the reader's first: ``code``, ``name`` and
    ``files`` as (format, url). Each link carries its language's prefix, so it downloads that language's file."""
    languages: dict[str, dict] = {}
    for file in reports.published_report_files(
        CONSULTATION_RESULTS, language=get_language(), consultation=consultation.pk
    ):
        with translation.override(file.language):
            url = reverse(
                "consultations:published-report", kwargs={"slug": consultation.slug, "fmt": file.format}
            )
        entry = languages.setdefault(
            file.language, {"code": file.language, "name": file.language_name, "files": []}
        )
        entry["files"].append((file.format_name, url))
    return list(languages.values())


def dialogues_ical(request: HttpRequest) -> HttpResponse:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SERMIG//Participación ciudadana//ES")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Diálogos participativos SERMIG"))
    # The past year and what is planned, at most ICAL_MAX_EVENTS (the soonest first): a bounded feed.
    for dialogue in selectors.calendar_dialogues(since=timezone.now() - timedelta(days=ICAL_PAST_DAYS))[
        :ICAL_MAX_EVENTS
    ]:
        event = icalendar.Event()
        event.add("uid", f"dialogo-{dialogue.pk}@participacion.serviciomigraciones.cl")
        event.add("summary", f"{dialogue.title} — {dialogue.consultation.title}")
        event.add("dtstart", dialogue.starts_at)
        event.add("dtend", dialogue.ends_at)
        event.add("dtstamp", timezone.now())
        event.add("location", ", ".join(filter(None, [dialogue.place, dialogue.address, dialogue.commune])))
        event.add("url", request.build_absolute_uri(dialogue.consultation.get_absolute_url()))
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


def plan(request: HttpRequest, year: int) -> HttpResponse:
    plan_ = get_object_or_404(permissions.plans_visible_to(request.user), year=year)
    consultations = permissions.visible_to(request.user).filter(plan=plan_).order_by("opens_at", "pk")
    page = paginate(request, consultations, CONSULTATIONS_PER_PAGE)
    return render(request, "consultations/plan_detail.html", {"plan": plan_, "consultations": page})


@never_cache
def proposal_call(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(permissions.proposal_calls_visible_to(request.user), pk=pk)
    form = TopicProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if not call.is_open():
            messages.error(request, _("La convocatoria no está abierta."))
            return redirect(request.path)
        if form.is_valid():
            try:
                services.topic_proposal_create(
                    call=call,
                    participant=participant_services.participant_for_user(user=request.user),
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            except services.ProposalExists:
                form.add_error("title", _("Ya envió una propuesta con este tema. Escriba otro tema."))
            else:
                messages.success(
                    request, _("Recibimos su propuesta. Publicaremos la decisión con la opinión del COSOC.")
                )
                return redirect(request.path)
    decided = call.proposals.filter(decision_published_at__isnull=False).order_by("title")
    return render(
        request, "consultations/proposal_call.html", {"call": call, "form": form, "decided": decided}
    )


class StaffAttributesForm(StaffParticipantForm):
    class Meta(StaffParticipantForm.Meta):
        fields = [name for name in StaffParticipantForm.Meta.fields if name != "user"]


@never_cache
@login_required
@mfa_required
def assisted(request: HttpRequest, slug: str) -> HttpResponse:
    if not permissions.may_enter_assisted(request.user):
        raise PermissionDenied
    consultation = get_object_or_404(Consultation, slug=slug)
    sections = selectors.questionnaire(consultation)
    questions = [q for s in sections for q in s.questions.all()]
    channel_form = AssistedChannelForm(request.POST if request.method == "POST" else None, prefix="canal")
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None, questions=questions, enforce_required=True
    )
    person_form = StaffAttributesForm(request.POST if request.method == "POST" else None, prefix="persona")
    if request.method == "POST" and all([channel_form.is_valid(), form.is_valid(), person_form.is_valid()]):
        attributes = {name: person_form.cleaned_data[name] for name in StaffAttributesForm.Meta.fields}
        reference = channel_form.cleaned_data["paper_reference"]
        try:
            services.assisted_response_record(
                consultation=consultation,
                staff=request.user,
                channel=channel_form.cleaned_data["channel"],
                answers=form.answer_values(),
                attributes=attributes,
                consented=person_form.consented(),
                paper_reference=reference,
            )
        except services.PaperFormRecorded:
            channel_form.add_error(
                "paper_reference",
                _("El formulario %(reference)s ya se registró en esta consulta.") % {"reference": reference},
            )
        else:
            messages.success(
                request,
                _("Respuesta registrada (formulario %(reference)s). Puede registrar la siguiente.")
                % {"reference": reference}
                if reference
                else _("Respuesta registrada. Puede registrar la siguiente."),
            )
            return redirect("consultations:assisted", slug=slug)
    return render(
        request,
        "consultations/assisted_form.html",
        {
            "consultation": consultation,
            "form": form,
            "channel_form": channel_form,
            "person_form": person_form,
        },
    )


def published_report(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The systematisation report staff published in this format, in the page's language when there is one
    (else Spanish, else any): public once results are, and it holds only suppressed tables."""
    consultation = _get_consultation_for_user(request, slug, lean=True).consultation
    if not permissions.may_view_results(request.user, consultation):
        raise Http404
    job = reports.published_report_job(
        CONSULTATION_RESULTS, format=fmt, language=get_language(), consultation=consultation.pk
    )
    if job is None or not hasattr(job, "file"):
        raise Http404
    response = HttpResponse(bytes(job.file.content), content_type=job.file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.file.name}"'
    response["Content-Language"] = job.language
    return response


def plan_document(request: HttpRequest, year: int) -> HttpResponse:
    """The plan's document, once the plan is published (before that, only for staff who may preview)."""
    plan_ = get_object_or_404(permissions.plans_visible_to(request.user).exclude(document=""), year=year)
    public = permissions.may_view_plan(permissions.ANONYMOUS, plan_)
    return serve_file(
        request, plan_.document, download_name=plan_.document_name or plan_.title, public=public
    )


def document_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A consultation's document: visible exactly when its consultation is (published, or staff preview)."""
    consultation = _get_consultation_for_user(request, slug, lean=True).consultation
    document: ConsultationDocument = get_object_or_404(consultation.documents.exclude(file=""), pk=pk)
    return serve_file(
        request,
        document.file,
        download_name=document.file_name or document.title,
        public=permissions.may_view_document(permissions.ANONYMOUS, document),
    )
