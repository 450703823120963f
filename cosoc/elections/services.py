"""Every write of a COSOC election: keyword-only, one transaction, refusals as :class:`ElectionRefusal` with a
specific translated message (never "there was a problem").

- Phases move by their dates (``election_phases_sweep``, Celery beat) one step at a time, each step with its
  own effect: the roll is frozen when it is published, the votes are counted when voting closes, elected
  candidates become members of the new term when results are published. Staff may set a phase by hand
  (``election_phase_set``): the same checks apply, and the dates stop moving it until staff resume them.
- Voting never opens while a category with seats has an empty roll or no confirmed candidate.
- ``ballot_cast`` writes the vote record (that the organisation voted) and the ballot (what it chose) in one
  transaction; the vote record's unique constraint refuses a second ballot whatever the race, and then
  neither row is written.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cosoc import services as cosoc_services
from cosoc.elections import notifications
from cosoc.elections.models import (
    PHASE_ORDER,
    Ballot,
    BallotChoice,
    Candidacy,
    CandidacyStatus,
    CandidateResult,
    CategoryResult,
    Election,
    LotDraw,
    Phase,
    RollEntry,
    TieRule,
    VoteRecord,
)
from cosoc.models import Role
from participants.models import Organization, User
from participants.organizations.permissions import is_representative


class ElectionRefusal(Exception):
    """A refused election action; ``str(error)`` is the translated message for the person."""


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def _hour(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "H:i")


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("term__council").get(pk=election.pk)


def election_save(*, election: Election) -> Election:
    """Dates, seats' election, ballot size and tie rule as staff set them; dates stay editable until voting
    opens (the database checks their order)."""
    if election.pk is not None:
        stored = Election.objects.filter(pk=election.pk).values_list("phase", flat=True).first()
        if stored and PHASE_ORDER.index(stored) >= PHASE_ORDER.index(Phase.VOTING):
            raise ElectionRefusal(
                _("La votación ya empezó: las fechas y las reglas de esta elección no cambian.")
            )
    election.full_clean()
    election.save()
    return election


# --- Roll ------------------------------------------------------------------------------------------------


def election_roll_freeze(*, election: Election) -> int:
    """The accredited organisations now, each in its category now, become the roll; once only."""
    with transaction.atomic():
        locked = _locked(election)
        if locked.roll_frozen_at is not None:
            return 0
        entries = [
            RollEntry(
                election=locked,
                organization=organization,
                category=organization.category,
                legal_name=organization.legal_name,
                region=organization.region,
            )
            for organization in Organization.objects.accredited().order_by("pk")
        ]
        RollEntry.objects.bulk_create(entries)
        locked.roll_frozen_at = timezone.now()
        locked.save(update_fields=["roll_frozen_at"])
        election.roll_frozen_at = locked.roll_frozen_at
    return len(entries)


def seats_by_category(election: Election) -> dict[int, int]:
    return {row.category: row.seats for row in election.seats.all()}


def voting_blockers(election: Election) -> list[str]:
    """Why voting cannot open: each category with seats needs organisations on the roll and a confirmed
    candidate."""
    problems = []
    if election.roll_frozen_at is None:
        problems.append(_("El padrón todavía no está congelado."))
        return problems
    on_roll = dict(
        RollEntry.objects.filter(election=election)
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    confirmed = dict(
        Candidacy.objects.filter(election=election, status=CandidacyStatus.CONFIRMED)
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    seats = seats_by_category(election)
    if not any(seats.values()):
        problems.append(_("La elección no tiene cupos por categoría."))
    for category, count in sorted(seats.items()):
        if not count:
            continue
        if not on_roll.get(category):
            problems.append(
                _("La categoría %(category)s tiene cupos pero ninguna organización en el padrón.")
                % {"category": category}
            )
        if not confirmed.get(category):
            problems.append(
                _("La categoría %(category)s tiene cupos pero ninguna candidatura confirmada.")
                % {"category": category}
            )
    return problems


# --- Phases ----------------------------------------------------------------------------------------------


def _enter(election: Election, phase: str) -> None:
    """The effect of entering ``phase`` (inside the caller's transaction, election locked)."""
    if (
        PHASE_ORDER.index(phase) >= PHASE_ORDER.index(Phase.ROLL_PUBLISHED)
        and election.roll_frozen_at is None
    ):
        election_roll_freeze(election=election)
    if phase == Phase.VOTING:
        problems = voting_blockers(election)
        if problems:
            raise ElectionRefusal(
                _("La votación no puede abrir: %(problems)s") % {"problems": " ".join(problems)}
            )
    if phase == Phase.COUNTING:
        ballot_box_shake(election=election)
        election_count(election=election)
    if phase == Phase.RESULTS:
        if not election.category_results.exists():
            election_count(election=election)
        pending = list(election.category_results.filter(tie_pending=True).values_list("category", flat=True))
        if pending:
            raise ElectionRefusal(
                _(
                    "Los resultados no pueden publicarse: hay un empate por sortear en la categoría %(categories)s."
                )
                % {"categories": ", ".join(str(category) for category in pending)}
            )
        _seat_the_elected(election)
    election.phase = phase
    election.blocked_reason = ""
    election.save(update_fields=["phase", "blocked_reason", "roll_frozen_at"])
    notifications.phase_changed(election=election)


def election_phases_sweep(*, now: datetime.datetime | None = None) -> int:
    """Move every election whose dates call for it, one phase at a time; a phase that cannot start (voting
    with an empty roll, results with a pending tie) stops it there with the reason for staff."""
    moved = 0
    for election_id in (
        Election.objects.not_finished().filter(phase_set_by_staff=False).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            election = _locked(Election(pk=election_id))
            due = election.due_phase(now)
            while PHASE_ORDER.index(election.phase) < PHASE_ORDER.index(due):
                following = PHASE_ORDER[PHASE_ORDER.index(election.phase) + 1]
                try:
                    with transaction.atomic():
                        _enter(election, following)
                except ElectionRefusal as refusal:
                    Election.objects.filter(pk=election.pk).update(blocked_reason=str(refusal))
                    break
                moved += 1
    return moved


def election_phase_set(*, election: Election, phase: str, by: User) -> Election:
    """Staff take the phase over (forwards or back); entering it has the same checks and effects."""
    if phase not in PHASE_ORDER:
        raise ElectionRefusal(_("Esa fase no existe."))
    with transaction.atomic():
        locked = _locked(election)
        if locked.phase == Phase.RESULTS:
            raise ElectionRefusal(_("Los resultados ya están publicados: la elección terminó."))
        going_back_before_voting = PHASE_ORDER.index(phase) < PHASE_ORDER.index(Phase.VOTING)
        if going_back_before_voting and VoteRecord.objects.filter(election=locked).exists():
            raise ElectionRefusal(
                _("Ya hay votos emitidos: la elección no puede volver a una fase anterior a la votación.")
            )
        locked.phase_set_by_staff = True
        locked.save(update_fields=["phase_set_by_staff"])
        _enter(locked, phase)
    return locked


def election_phase_resume_dates(*, election: Election, by: User) -> Election:
    with transaction.atomic():
        locked = _locked(election)
        locked.phase_set_by_staff = False
        locked.save(update_fields=["phase_set_by_staff"])
    return locked


# --- Candidacies -----------------------------------------------------------------------------------------


def roll_entry(*, election: Election, organization: Organization) -> RollEntry | None:
    return RollEntry.objects.filter(election=election, organization=organization).first()


def candidacy_nominate(
    *,
    election: Election,
    organization: Organization,
    by: User,
    email: str,
    name: str,
    gender: str,
    bio: str,
    consent_to_publish: bool,
) -> Candidacy:
    now = timezone.now()
    if not is_representative(by, organization):
        raise ElectionRefusal(_("Usted no representa a esta organización."))
    if (
        election.phase != Phase.CANDIDACIES
        or not election.candidacies_open_at <= now < election.candidacies_close_at
    ):
        raise ElectionRefusal(
            _("Las candidaturas se presentan del %(opens)s al %(closes)s a las %(hour)s.")
            % {
                "opens": _when(election.candidacies_open_at),
                "closes": _when(election.candidacies_close_at),
                "hour": _hour(election.candidacies_close_at),
            }
        )
    entry = roll_entry(election=election, organization=organization)
    if entry is None:
        raise ElectionRefusal(
            _(
                "Su organización no está en el padrón de esta elección: solo las organizaciones del padrón presentan candidaturas."
            )
        )
    if not consent_to_publish:
        raise ElectionRefusal(_("La persona debe aceptar que se publique su candidatura."))
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        raise ElectionRefusal(
            _(
                "No hay una cuenta con el correo %(email)s. La persona candidata necesita su cuenta en el portal."
            )
            % {"email": email}
        )
    limit = settings.COSOC_CANDIDACIES_PER_ORGANIZATION
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if (
            Candidacy.objects.filter(election=election, organization=organization)
            .exclude(status=CandidacyStatus.REFUSED)
            .count()
            >= limit
        ):
            raise ElectionRefusal(
                _("Cada organización puede presentar %(limit)s candidaturas como máximo.") % {"limit": limit}
            )
        candidacy = Candidacy(
            election=election,
            organization=organization,
            category=entry.category,
            user=user,
            name=name.strip(),
            gender=gender,
            bio=bio.strip(),
            consent_to_publish=True,
            nominated_by=by,
        )
        candidacy.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                candidacy.save()
        except IntegrityError as error:
            raise ElectionRefusal(_("Esta persona ya tiene una candidatura en esta elección.")) from error
    return candidacy


def candidacy_confirm(*, candidacy: Candidacy, by: User) -> Candidacy:
    with transaction.atomic():
        locked = (
            Candidacy.objects.select_for_update()
            .select_related("election", "organization")
            .get(pk=candidacy.pk)
        )
        if locked.election.is_at_least(Phase.VOTING):
            raise ElectionRefusal(_("La votación ya empezó: las candidaturas no cambian."))
        locked.status = CandidacyStatus.CONFIRMED
        locked.refusal_reason = ""
        locked.save(update_fields=["status", "refusal_reason"])
        notifications.candidacy_decided(candidacy=locked)
    return locked


def candidacy_refuse(*, candidacy: Candidacy, by: User, reason: str) -> Candidacy:
    reason = (reason or "").strip()
    if not reason:
        raise ElectionRefusal(_("Escriba el motivo del rechazo: la organización lo leerá."))
    with transaction.atomic():
        locked = (
            Candidacy.objects.select_for_update()
            .select_related("election", "organization")
            .get(pk=candidacy.pk)
        )
        if locked.election.is_at_least(Phase.VOTING):
            raise ElectionRefusal(_("La votación ya empezó: las candidaturas no cambian."))
        locked.status = CandidacyStatus.REFUSED
        locked.refusal_reason = reason
        locked.save(update_fields=["status", "refusal_reason"])
        notifications.candidacy_decided(candidacy=locked)
    return locked


# --- Ballots ---------------------------------------------------------------------------------------------


def voting_window_refusal(election: Election) -> str:
    """Why a vote cannot be cast now, or "" while voting is open."""
    if election.voting_is_open:
        return ""
    now = timezone.now()
    if now < election.voting_opens_at or not election.is_at_least(Phase.VOTING):
        return _(
            "La votación no está abierta: abre el %(opens)s a las %(opens_hour)s y cierra el %(closes)s a las "
            "%(closes_hour)s."
        ) % {
            "opens": _when(election.voting_opens_at),
            "opens_hour": _hour(election.voting_opens_at),
            "closes": _when(election.voting_closes_at),
            "closes_hour": _hour(election.voting_closes_at),
        }
    return _("La votación cerró el %(closes)s a las %(closes_hour)s.") % {
        "closes": _when(election.voting_closes_at),
        "closes_hour": _hour(election.voting_closes_at),
    }


def ballot_check(
    *, election: Election, organization: Organization, by: User, candidacy_ids: Iterable[int], blank: bool
) -> tuple[RollEntry, list[Candidacy]]:
    """Every refusal a ballot can meet, before anything is written (the confirmation page asks it too)."""
    if not is_representative(by, organization):
        raise ElectionRefusal(_("Usted no representa a esta organización: no puede votar por ella."))
    refusal = voting_window_refusal(election)
    if refusal:
        raise ElectionRefusal(refusal)
    entry = roll_entry(election=election, organization=organization)
    if entry is None:
        raise ElectionRefusal(
            _(
                "Su organización no está en el padrón de esta elección: no estaba acreditada al corte del %(date)s."
            )
            % {"date": _when(election.roll_published_at)}
        )
    already = VoteRecord.objects.filter(election=election, organization=organization).first()
    if already is not None:
        raise ElectionRefusal(
            _("Su organización ya votó el %(date)s; cada organización vota una sola vez.")
            % {"date": _when(already.voted_at)}
        )
    ids = sorted(set(candidacy_ids))
    if blank and ids:
        raise ElectionRefusal(
            _("Un voto en blanco no lleva candidaturas marcadas: quite las marcas o no vote en blanco.")
        )
    if not blank and not ids:
        raise ElectionRefusal(_("Marque al menos una candidatura, o elija votar en blanco."))
    if len(ids) > election.choices_per_ballot:
        raise ElectionRefusal(
            _("Puede marcar %(limit)s candidaturas como máximo; marcó %(count)s.")
            % {"limit": election.choices_per_ballot, "count": len(ids)}
        )
    candidacies = list(
        Candidacy.objects.filter(
            election=election, pk__in=ids, status=CandidacyStatus.CONFIRMED
        ).select_related("organization")
    )
    if len(candidacies) != len(ids) or any(c.category != entry.category for c in candidacies):
        raise ElectionRefusal(
            _(
                "Solo puede votar por candidaturas confirmadas de la categoría %(category)s, la de su organización."
            )
            % {"category": entry.category}
        )
    return entry, candidacies


@dataclass(frozen=True)
class Cast:
    voted_at: datetime.datetime
    category: int


def ballot_cast(
    *,
    election: Election,
    organization: Organization,
    by: User,
    candidacy_ids: Sequence[int],
    blank: bool = False,
) -> Cast:
    """One secret ballot for the organisation, in its category on the roll. Returns when it voted, never what."""
    entry, candidacies = ballot_check(
        election=election, organization=organization, by=by, candidacy_ids=candidacy_ids, blank=blank
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            VoteRecord.objects.create(
                election=election, organization=organization, category=entry.category, voted_at=now
            )
            ballot = Ballot.objects.create(election=election, category=entry.category, is_blank=blank)
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=ballot, candidacy=candidacy) for candidacy in candidacies
            )
    except IntegrityError as error:
        record = VoteRecord.objects.filter(election=election, organization=organization).first()
        date = _when(record.voted_at) if record else _when(now)
        raise ElectionRefusal(
            _("Su organización ya votó el %(date)s; cada organización vota una sola vez.") % {"date": date}
        ) from error
    return Cast(voted_at=now, category=entry.category)


def ballot_box_shake(*, election: Election) -> int:
    """When voting closes, every ballot is written again, in random order, in one transaction, and the
    originals deleted: the stored ballots then share one transaction and a physical order that says nothing
    about when each was cast (what the database itself keeps, beyond what any query of the portal reads)."""
    with transaction.atomic():
        ballots = list(Ballot.objects.filter(election=election).prefetch_related("choices"))
        random.SystemRandom().shuffle(ballots)
        copies = [Ballot(election=election, category=b.category, is_blank=b.is_blank) for b in ballots]
        choices = [
            BallotChoice(ballot=copy, candidacy_id=choice.candidacy_id)
            for original, copy in zip(ballots, copies, strict=True)
            for choice in original.choices.all()
        ]
        random.SystemRandom().shuffle(choices)
        Ballot.objects.filter(pk__in=[b.pk for b in ballots]).delete()
        Ballot.objects.bulk_create(copies)
        BallotChoice.objects.bulk_create(choices)
    return len(copies)


# --- Counting and results --------------------------------------------------------------------------------

WOMEN = {"woman", "trans_woman"}
MEN = {"man", "trans_man"}


def _gender_group(gender: str) -> str:
    return "women" if gender in WOMEN else "men" if gender in MEN else "other"


def _under_represented(elected: Sequence[Candidacy]) -> str | None:
    women = sum(1 for c in elected if _gender_group(c.gender) == "women")
    men = sum(1 for c in elected if _gender_group(c.gender) == "men")
    if women < men:
        return "women"
    if men < women:
        return "men"
    return None


def _break_tie(
    election: Election, category: int, elected: list[Candidacy], tied: list[Candidacy], seats: int
) -> tuple[list[Candidacy], list[Candidacy], str]:
    """Fill ``seats`` from ``tied``: gender balance first (if the rule says so), then a recorded lot.
    Returns (chosen, still tied for a lot, how)."""
    chosen: list[Candidacy] = []
    pool = list(tied)
    how = ""
    if election.tie_rule == TieRule.GENDER_THEN_LOT:
        while seats - len(chosen) > 0 and pool:
            wanted = _under_represented(elected + chosen)
            favoured = [c for c in pool if wanted and _gender_group(c.gender) == wanted]
            if len(favoured) == 1 or (favoured and len(favoured) <= seats - len(chosen)):
                chosen.extend(favoured)
                pool = [c for c in pool if c not in favoured]
                how = "gender"
                continue
            if favoured:
                pool = favoured
            break
    remaining = seats - len(chosen)
    if remaining <= 0:
        return chosen, [], how
    if len(pool) <= remaining:
        return chosen + pool, [], how
    draw = (
        LotDraw.objects.filter(election=election, category=category)
        .order_by("-drawn_at", "-pk")
        .prefetch_related("among", "winners")
        .first()
    )
    if draw is not None and {c.pk for c in draw.among.all()} == {c.pk for c in pool}:
        winners = [c for c in pool if c.pk in {w.pk for w in draw.winners.all()}]
        return chosen + winners, [], "lot"
    return chosen, pool, how


def election_count(*, election: Election) -> list[CategoryResult]:
    """Count every category again from the ballots: votes per candidacy, blank ballots, turnout; who is
    elected by most votes, with the tie rule. Safe to run twice."""
    with transaction.atomic():
        CategoryResult.objects.filter(election=election).delete()
        CandidateResult.objects.filter(election=election).delete()
        votes = dict(
            BallotChoice.objects.filter(ballot__election=election)
            .values_list("candidacy")
            .annotate(n=Count("pk"))
            .values_list("candidacy", "n")
        )
        blank = dict(
            Ballot.objects.filter(election=election, is_blank=True)
            .values_list("category")
            .annotate(n=Count("pk"))
            .values_list("category", "n")
        )
        voted = dict(
            VoteRecord.objects.filter(election=election)
            .values_list("category")
            .annotate(n=Count("pk"))
            .values_list("category", "n")
        )
        on_roll = dict(
            RollEntry.objects.filter(election=election)
            .values_list("category")
            .annotate(n=Count("pk"))
            .values_list("category", "n")
        )
        confirmed = list(
            Candidacy.objects.filter(election=election, status=CandidacyStatus.CONFIRMED).order_by(
                "name", "pk"
            )
        )
        results = []
        for category, seats in sorted(seats_by_category(election).items()):
            candidates = sorted(
                (c for c in confirmed if c.category == category), key=lambda c: -votes.get(c.pk, 0)
            )
            elected: list[Candidacy] = []
            tied_pending: list[Candidacy] = []
            how: dict[int, str] = {}
            if len(candidates) <= seats:
                elected = [c for c in candidates]
            elif seats:
                threshold = votes.get(candidates[seats - 1].pk, 0)
                elected = [c for c in candidates if votes.get(c.pk, 0) > threshold]
                tied = [c for c in candidates if votes.get(c.pk, 0) == threshold]
                chosen, tied_pending, decided = _break_tie(
                    election, category, elected, tied, seats - len(elected)
                )
                if len(tied) > seats - len(elected):
                    how.update(dict.fromkeys((c.pk for c in chosen), decided))
                elected += chosen
            result = CategoryResult.objects.create(
                election=election,
                category=category,
                on_roll=on_roll.get(category, 0),
                voted=voted.get(category, 0),
                blank=blank.get(category, 0),
                tie_pending=bool(tied_pending),
            )
            results.append(result)
            elected_ids = {c.pk for c in elected}
            tied_ids = {c.pk for c in tied_pending}
            CandidateResult.objects.bulk_create(
                CandidateResult(
                    election=election,
                    candidacy=c,
                    votes=votes.get(c.pk, 0),
                    elected=c.pk in elected_ids,
                    tied=c.pk in tied_ids,
                    decided_by=how.get(c.pk, ""),
                )
                for c in candidates
            )
    return results


def lot_check(
    *, election: Election, category: int, winners: Sequence[Candidacy], note: str
) -> list[Candidacy]:
    """The tied candidacies a lot is drawn among, if ``winners`` fill the seats left; refuses otherwise."""
    if not (note or "").strip():
        raise ElectionRefusal(_("Describa cómo se hizo el sorteo y quiénes estuvieron presentes."))
    if not CategoryResult.objects.filter(election=election, category=category, tie_pending=True).exists():
        raise ElectionRefusal(
            _("La categoría %(category)s no tiene un empate por sortear.") % {"category": category}
        )
    tied = list(Candidacy.objects.filter(result__tied=True, election=election, category=category))
    seats = seats_by_category(election).get(category, 0)
    needed = (
        seats
        - CandidateResult.objects.filter(
            election=election, candidacy__category=category, elected=True
        ).count()
    )
    chosen = {c.pk for c in winners}
    if not chosen <= {c.pk for c in tied} or len(chosen) != needed:
        raise ElectionRefusal(
            _("Elija %(needed)s de las candidaturas empatadas de la categoría %(category)s.")
            % {"needed": needed, "category": category}
        )
    return tied


def lot_record(
    *, election: Election, category: int, winners: Sequence[Candidacy], note: str, by: User
) -> LotDraw:
    """Staff drew lots among the tied candidacies of a category; the count takes the winners from here."""
    with transaction.atomic():
        locked = _locked(election)
        tied = lot_check(election=locked, category=category, winners=winners, note=note)
        draw = LotDraw.objects.create(election=locked, category=category, note=note.strip(), drawn_by=by)
        draw.among.set(tied)
        draw.winners.set(winners)
        election_count(election=locked)
    return draw


def _seat_the_elected(election: Election) -> list[str]:
    """Elected candidates become members of the term the election was for."""
    problems = []
    elected = Candidacy.objects.filter(election=election, result__elected=True).select_related(
        "user", "organization"
    )
    for candidacy in elected:
        try:
            with transaction.atomic():
                cosoc_services.membership_create(
                    term=election.term,
                    user=candidacy.user,
                    organization=candidacy.organization,
                    role=Role.COUNCILLOR,
                    start=election.term.start,
                    public_name=candidacy.name,
                    published_gender=candidacy.gender,
                )
        except cosoc_services.Refused as refusal:
            problems.append(f"{candidacy.name}: {refusal}")
    return problems
