"""What the elections add to shared pages: the representative's dashboard says whether and when the
organisation votes. Imported by ``cosoc/hooks.py``; also loads the admin and the Celery task."""

from cosoc.elections import admin as _admin  # noqa: F401  (registers the elections' admin pages)
from cosoc.elections import selectors
from cosoc.elections import tasks as _tasks  # noqa: F401  (workers learn the beat task)
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
