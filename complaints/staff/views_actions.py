"""Action pages: GET shows the form, POST parses it, calls one service and redirects to the case."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from complaints.models import State
from complaints.services.errors import DomainError, StaleCase
from complaints.staff.access import case_for, staff_required
from complaints.staff.actions import ACTIONS
from complaints.staff.moves import MOVES_BY_SLUG, Situation, role_allows


@staff_required
def case_action(request, reference: str, slug: str):
    move, spec = MOVES_BY_SLUG.get(slug), ACTIONS.get(slug)
    if move is None or spec is None:
        raise Http404("No such action")
    case = case_for(request.member, reference)
    if not role_allows(move, request.member):
        raise PermissionDenied(f"Your role cannot {move.label.lower()}")
    situation = Situation(case, request.member)
    case_url = reverse("staff:case", args=[case.reference])
    posting = request.method == "POST"
    if not posting and not move.available(situation):
        messages.error(request, f"{move.label} is not possible now: {case.reference} is "
                                f"{State(case.state).label.lower()}.")
        return redirect(case_url)
    form = spec.form_class(request.POST if posting else None, request.FILES if posting else None, case=case,
                           member=request.member, **spec.form_kwargs(situation, posting))
    stale = False
    if posting and form.is_valid():
        message, stale = perform_or_explain(form, lambda: spec.perform(case, form, request.user))
        if message is not None:
            messages.success(request, message)
            return redirect(case_url)
    fieldsets = [(legend, [form[name] for name in names]) for legend, names in form.fieldsets]
    return render(request, "staff/action.html", {
        "case": case, "spec": spec, "form": form, "fieldsets": fieldsets, "facts": spec.facts(situation),
        "case_url": case_url, "stale": stale, "organisation_name": request.member.council.name,
        "has_file": any(field.widget_type in ("file", "clearablefile") for field in form),
    })


def perform_or_explain(form, perform) -> tuple[str | None, bool]:
    """(success message, stale): a refused move becomes the form's error, in the domain's own words;
    ``stale`` says someone else changed the case, so the page offers to reload it."""
    try:
        return perform(), False
    except StaleCase as error:
        form.add_error(None, error.message)
        return None, True
    except DomainError as error:
        form.add_error(None, error.message)
        return None, False
