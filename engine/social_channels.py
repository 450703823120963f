"""The footer's social channels (every page): the app that manages them registers where they come from.

    from engine import social_channels
    social_channels.register(selectors.social_channels)   # hooks.py: a callable returning objects with
                                                          # ``name``, ``url`` and ``icon``, cached by the app

The context processor hands the template this module's ``channels`` function itself, so a page reads them only
when it shows the footer. Without a registered source the footer's list is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Source = Callable[[], Sequence[Any]]
_source: Source | None = None


def register(source: Source) -> Source:
    global _source  # noqa: PLW0603  (one source, set once at start-up)
    _source = source
    return source


def unregister() -> None:
    global _source  # noqa: PLW0603  (tests put the start-up state back)
    _source = None


def channels() -> list[Any]:
    return list(_source()) if _source is not None else []
