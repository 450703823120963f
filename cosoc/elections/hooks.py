"""What the elections add to shared pages: the representative's dashboard says whether and when the
organisation votes. Imported by ``cosoc/hooks.py``; also loads the admin and the Celery task."""

from django.utils.translation import gettext_lazy as _

from cosoc.elections import admin as _admin  # noqa: F401  (registers the elections' admin pages)
from cosoc.elections import permissions, selectors
from cosoc.elections import tasks as _tasks  # noqa: F401  (workers learn the beat task)
from cosoc.elections.models import Candidacy, Phase
from engine import open_now, sitemaps
from participants import data_export
from participants.organizations import dashboard


def election_block(*, user, organizations) -> list[dashboard.Block]:
    return [
        dashboard.Block(
            organization_id=standing.organization.pk,
            template="cosoc/elections/_dashboard_block.html",
            context={"standing": standing},
        )
        for standing in selectors.standings(organizations=organizations)
    ]


dashboard.register(election_block)


def _my_candidacies(user, participant) -> list[dict]:
    """The person's own candidacies (never a ballot: nobody's choices are anyone's data to download)."""
    return [
        {
            "election": str(c.election),
            "organization": c.organization.legal_name,
            "name": c.name,
            "gender": c.gender,
            "bio": c.bio,
            "status": c.status,
        }
        for c in Candidacy.objects.filter(user=user).select_related("election__term", "organization")
    ]


def _my_candidacies_readable(user, participant) -> list[data_export.Group]:
    return [
        data_export.Group(
            str(c.election),
            [
                data_export.Item(_("Organización"), c.organization.legal_name),
                data_export.Item(_("Nombre"), c.name),
                data_export.Item(_("Género"), c.get_gender_display()),
                data_export.Item(_("Presentación"), c.bio),
                data_export.Item(_("Estado"), c.get_status_display()),
            ],
        )
        for c in Candidacy.objects.filter(user=user).select_related("election__term", "organization")
    ]


data_export.register("cosoc-elections", _("Candidaturas al COSOC"), _my_candidacies, _my_candidacies_readable)


def _election_open_now(request) -> list[open_now.OpenNowItem]:
    """The home page: candidacies or voting open now (public, so asked for ANONYMOUS)."""
    election = selectors.current_election()
    if election is None or not permissions.may_view(permissions.ANONYMOUS, election):
        return []
    if election.phase == Phase.VOTING:
        closes = election.voting_closes_at
        summary = _("Votan las organizaciones del padrón, cada una en su categoría.")
    elif election.phase == Phase.CANDIDACIES:
        closes = election.candidacies_close_at
        summary = _("Las organizaciones del padrón presentan candidaturas en su categoría.")
    else:
        return []
    return [
        open_now.OpenNowItem(
            title=str(election),
            url=election.get_absolute_url(),
            mechanism=str(_("Consejo de la Sociedad Civil (COSOC)")),
            closes_on=closes.date(),
            summary=str(summary),
        )
    ]


open_now.register(_election_open_now)
sitemaps.register("cosoc-elections-pages", sitemaps.PagesSitemap(["cosoc:elections:index"]))
