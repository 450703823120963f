"""The participant attributes, declared once (DESIGN.md, "Participant vs User").

Everything that lists them is derived from ``PARTICIPANT_ATTRIBUTES``: the profile and staff forms
(``participants.forms``), the consent rule (``SENSITIVE_ATTRIBUTES``), the keys the logs redact
(``sermig_portal.logging``) and the attributes a report may be disaggregated by
(``engine.models.DISAGGREGATION_ATTRIBUTES``). A new column of ``participants.models.Participant`` goes here
too (a test fails otherwise). ``participants.models`` re-exports these names; they live in a module without
models because logging is configured before Django's app registry is ready.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParticipantAttribute:
    name: str
    # Law 21.719 sensitive data: stored only with an express, specific consent (participants.models.Consent).
    sensitive: bool = False
    # A single-valued column that groups meaningfully in SQL (a list or free text does not).
    disaggregable: bool = True


# In the order the profile form asks them.
PARTICIPANT_ATTRIBUTES: tuple[ParticipantAttribute, ...] = (
    ParticipantAttribute("gender_identity", sensitive=True),
    ParticipantAttribute("sex_at_birth", sensitive=True),
    ParticipantAttribute("sexual_orientation", sensitive=True),
    ParticipantAttribute("birth_year", disaggregable=False),  # reports group by age_band instead
    ParticipantAttribute("age_band"),
    ParticipantAttribute("nationality"),
    ParticipantAttribute("migration_status", sensitive=True),
    ParticipantAttribute("region"),
    ParticipantAttribute("commune", disaggregable=False),  # free text
    ParticipantAttribute("indigenous_people", sensitive=True),
    ParticipantAttribute("disability", sensitive=True),
    ParticipantAttribute("languages", disaggregable=False),  # a list
)
ATTRIBUTE_NAMES: tuple[str, ...] = tuple(attribute.name for attribute in PARTICIPANT_ATTRIBUTES)
SENSITIVE_ATTRIBUTES: tuple[str, ...] = tuple(a.name for a in PARTICIPANT_ATTRIBUTES if a.sensitive)
