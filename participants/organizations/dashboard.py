"""Blocks other apps add to a representative's dashboard, per organisation (the COSOC elections say there
whether and when the organisation votes). participants never imports them: they register here::

    from participants.organizations import dashboard

    def election_block(*, user, organizations) -> list[dashboard.Block]:
        ...

    dashboard.register(election_block)

A provider gets the signed-in person and their organisations (already loaded) and returns blocks; each is
rendered with its own template under the organisation it names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from participants.models import Organization


@dataclass(frozen=True)
class Block:
    organization_id: int
    template: str
    context: dict = field(default_factory=dict)


Provider = Callable[..., list[Block]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def blocks_for(*, user, organizations: Sequence[Organization]) -> dict[int, list[Block]]:
    by_organization: dict[int, list[Block]] = {}
    for provider in _providers:
        for block in provider(user=user, organizations=organizations):
            by_organization.setdefault(block.organization_id, []).append(block)
    return by_organization
