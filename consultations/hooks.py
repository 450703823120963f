"""What consultations add to shared pages: the home page's "open now" block, "my data", search and sitemap."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations import opendata as consultation_opendata
from consultations import reports as consultation_reports
from consultations import search as consultation_search
from consultations import selectors
from consultations.models import Answer, Consultation, Response, TopicProposal
from consultations.selectors import upcoming_dialogues
from engine import open_now
from participants import data_export


def _open_consultations(request: HttpRequest) -> list[open_now.OpenNowItem]:
    items = [
        open_now.OpenNowItem(
            title=consultation.title,
            url=consultation.get_absolute_url(),
            mechanism=_("Consulta ciudadana"),
            closes_on=timezone.localtime(consultation.closes_at).date(),
            summary=consultation.summary,
        )
        for consultation in Consultation.objects.open_now().order_by("closes_at")[:6]
    ]
    items += [
        open_now.OpenNowItem(
            title=dialogue.title,
            url=dialogue.consultation.get_absolute_url(),
            mechanism=_("Diálogo participativo"),
            closes_on=timezone.localtime(dialogue.starts_at).date(),
            summary=f"{dialogue.place}, {dialogue.commune}",
            is_event=True,
        )
        for dialogue in upcoming_dialogues()[:3]
    ]
    return items


def _my_consultation_data(user, participant) -> list[dict]:
    """The portable copy: one row per answer and per proposal."""
    if participant is None:
        return []
    answers = (
        Answer.objects.filter(response__participant=participant)
        .select_related("response__consultation", "question")
        .prefetch_related("choices__option")
        .order_by("response__created_at", "question__section__order", "question__order")
    )
    rows = [
        {
            "consultation": answer.response.consultation.title,
            "status": answer.response.status,
            "submitted_at": data_export.iso(answer.response.submitted_at),
            "question": answer.question.text,
            "answer": answer.text or ", ".join(c.option.text for c in answer.choices.all()),
            "other": answer.other_text,
        }
        for answer in answers
    ]
    rows += [
        {
            "proposal": proposal.title,
            "description": proposal.description,
            "status": proposal.status,
            "created_at": data_export.iso(proposal.created_at),
        }
        for proposal in TopicProposal.objects.filter(participant=participant)
    ]
    return rows


def _my_consultations_readable(user, participant) -> list[data_export.Group]:
    """Answers by consultation, as the questionnaire asked them, then the topics proposed."""
    if participant is None:
        return []
    groups = []
    for response, answers in selectors.participant_answers(participant):
        if response.status == Response.Status.SUBMITTED:
            items = [data_export.Item(_("Enviada el"), response.submitted_at)]
        else:
            items = [data_export.Item(_("Borrador guardado el"), response.updated_at)]
        items += [data_export.Item(q.text, selectors.answer_text(q, value)) for q, value in answers]
        groups.append(data_export.Group(response.consultation.title, items))
    for proposal in TopicProposal.objects.filter(participant=participant).order_by("created_at"):
        groups.append(
            data_export.Group(
                _("Tema propuesto: %(title)s") % {"title": proposal.title},
                [
                    data_export.Item(_("Por qué es importante"), proposal.description),
                    data_export.Item(_("Enviada el"), proposal.created_at),
                    data_export.Item(_("Estado"), proposal.get_status_display()),
                ],
            )
        )
    return groups


open_now.register(_open_consultations)
consultation_reports.register()
consultation_search.register()
consultation_opendata.register()
data_export.register(
    "consultations", gettext_lazy("Consultas ciudadanas"), _my_consultation_data, _my_consultations_readable
)
