"""Election pages. Access through ``permissions`` (404 for what a person may not see); every refusal of a
nomination or a ballot is the service's specific message, shown on the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cosoc.elections import permissions, selectors, services
from cosoc.elections.forms import BallotForm, CandidacyForm
from cosoc.elections.models import Election, VoteRecord
from participants.choices import OrganizationCategory
from participants.models import Organization


def index(request: HttpRequest) -> HttpResponse:
    elections = list(permissions.visible_to(request.user).order_by("-voting_opens_at", "-pk"))
    return render(request, "cosoc/elections/election_list.html", {"elections": elections})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_for_user(user=request.user, pk=pk)
    organizations = list(Organization.objects.represented_by(request.user).order_by("legal_name", "pk"))
    return render(
        request,
        "cosoc/elections/election_detail.html",
        {
            "election": election,
            "seats": list(election.seats.all()),
            "standings": [
                {"standing": standing} for standing in selectors.standings(organizations=organizations)
            ],
            "may_view_roll": permissions.may_view_roll(request.user, election),
            "may_view_candidates": permissions.may_view_candidates(request.user, election),
            "may_view_results": permissions.may_view_results(request.user, election),
        },
    )


def roll(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_for_user(user=request.user, pk=pk)
    if not permissions.may_view_roll(request.user, election):
        raise Http404
    grouped = selectors.roll_by_category(election)
    categories = [(OrganizationCategory(category), entries) for category, entries in sorted(grouped.items())]
    return render(request, "cosoc/elections/roll.html", {"election": election, "categories": categories})


def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_for_user(user=request.user, pk=pk)
    if not permissions.may_view_candidates(request.user, election):
        raise Http404
    grouped: dict[int, list] = {}
    for candidacy in selectors.confirmed_candidacies(election):
        grouped.setdefault(candidacy.category, []).append(candidacy)
    categories = [(OrganizationCategory(category), rows) for category, rows in sorted(grouped.items())]
    return render(
        request, "cosoc/elections/candidates.html", {"election": election, "categories": categories}
    )


def results(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_for_user(user=request.user, pk=pk)
    if not permissions.may_view_results(request.user, election):
        raise Http404
    return render(
        request,
        "cosoc/elections/results.html",
        {"election": election, "categories": selectors.results(election)},
    )


def _for_representative(request: HttpRequest, pk: int, organization_pk: int) -> tuple[Election, Organization]:
    election = selectors.election_for_user(user=request.user, pk=pk)
    organization = Organization.objects.filter(pk=organization_pk).first()
    if organization is None or not permissions.may_act_for(request.user, organization):
        raise Http404
    return election, organization


@never_cache
@login_required
def nominate(request: HttpRequest, pk: int, organization_pk: int) -> HttpResponse:
    election, organization = _for_representative(request, pk, organization_pk)
    form = CandidacyForm(request.POST or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            candidacy = services.candidacy_nominate(
                election=election,
                organization=organization,
                by=request.user,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                gender=form.cleaned_data["gender"],
                bio=form.cleaned_data["bio"],
                consent_to_publish=form.cleaned_data["consent_to_publish"],
            )
        except services.ElectionRefusal as error:
            refusal = str(error)
        else:
            messages.success(
                request,
                _(
                    "Presentamos la candidatura de %(name)s. El equipo de SERMIG la confirmará o le dirá por qué no."
                )
                % {"name": candidacy.name},
            )
            return redirect("organizations:dashboard")
    return render(
        request,
        "cosoc/elections/nominate.html",
        {"election": election, "organization": organization, "form": form, "refusal": refusal},
    )


@never_cache
@login_required
def vote(request: HttpRequest, pk: int, organization_pk: int) -> HttpResponse:
    """Choose → confirm → cast. The confirmation page repeats the choices; only its button casts the ballot."""
    election, organization = _for_representative(request, pk, organization_pk)
    if VoteRecord.objects.filter(election=election, organization=organization).exists():
        return redirect("cosoc:elections:voted", pk=election.pk, organization_pk=organization.pk)
    entry = services.roll_entry(election=election, organization=organization)
    candidacies = (
        list(selectors.confirmed_candidacies(election, entry.category if entry else None)) if entry else []
    )
    form = BallotForm(request.POST or None, candidacies=candidacies, limit=election.choices_per_ballot)
    if entry is None:
        refusal = _("Su organización no está en el padrón de esta elección: no estaba acreditada al corte.")
    else:
        refusal = services.voting_window_refusal(election)
    show_form = not refusal
    if request.method == "POST" and show_form and form.is_valid():
        chosen_ids = form.cleaned_data["candidacies"]
        blank = form.cleaned_data["blank"]
        try:
            if request.POST.get("step") == "cast":
                services.ballot_cast(
                    election=election,
                    organization=organization,
                    by=request.user,
                    candidacy_ids=chosen_ids,
                    blank=blank,
                )
                return redirect("cosoc:elections:voted", pk=election.pk, organization_pk=organization.pk)
            _entry, chosen = services.ballot_check(
                election=election,
                organization=organization,
                by=request.user,
                candidacy_ids=chosen_ids,
                blank=blank,
            )
        except services.ElectionRefusal as error:
            if VoteRecord.objects.filter(election=election, organization=organization).exists():
                # Cast meanwhile (a double click, a second tab, another representative): the page the
                # request that cast it got.
                return redirect("cosoc:elections:voted", pk=election.pk, organization_pk=organization.pk)
            refusal = str(error)
        else:
            return render(
                request,
                "cosoc/elections/vote_confirm.html",
                {
                    "election": election,
                    "organization": organization,
                    "category": OrganizationCategory(entry.category),
                    "chosen": chosen,
                    "blank": blank,
                },
            )
    return render(
        request,
        "cosoc/elections/vote.html",
        {
            "election": election,
            "organization": organization,
            "category": OrganizationCategory(entry.category) if entry else None,
            "form": form,
            "refusal": refusal,
            "show_form": show_form,
        },
    )


@login_required
def voted(request: HttpRequest, pk: int, organization_pk: int) -> HttpResponse:
    election, organization = _for_representative(request, pk, organization_pk)
    record = VoteRecord.objects.filter(election=election, organization=organization).first()
    if record is None:
        return redirect("cosoc:elections:vote", pk=election.pk, organization_pk=organization.pk)
    return render(
        request,
        "cosoc/elections/voted.html",
        {"election": election, "organization": organization, "record": record},
    )
