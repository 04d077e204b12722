"""Marking promises kept from the case page: one POST per action or remedy, then back to the case.

The case page shows a form for each open action and Ombudsman remedy; it posts
here. A GET shows the same form on a page of its own; an invalid or refused
POST shows it there with the GOV.UK error summary (and the reload link when
someone else changed the case in the meantime), exactly as the action pages do.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from complaints.models import Action
from complaints.services.people import action_complete
from complaints.staff.access import case_for, display_name, staff_required
from complaints.staff.forms import instant_on
from complaints.staff.forms_promises import ActionCompleteForm, RemedyComplyForm, action_prefix, remedy_prefix
from complaints.staff.promises import may_complete_action, may_record_compliance
from complaints.staff.views_actions import perform_or_explain
from deadlines.calendar import london_date
from deadlines.engine import format_date
from ombudsman.models import Remedy
from ombudsman.services import remedy_comply


@dataclass(frozen=True)
class PageSpec:
    """What ``staff/action.html`` needs to know about the page besides the form."""

    title: str
    submit: str


def _promise_page(request, case, *, form_class, prefix: str, spec: PageSpec, facts, done_message: str,
                  perform, success: str):
    case_url = reverse("staff:case", args=[case.reference])
    posting = request.method == "POST"
    if done_message and not posting:  # a POST goes on to the service, which says why it refuses
        messages.error(request, done_message)
        return redirect(case_url)
    form = form_class(request.POST if posting else None, case=case, member=request.member, prefix=prefix)
    stale = False
    if posting and form.is_valid():
        def perform_then_say():
            perform(form.cleaned_data)
            return success

        message, stale = perform_or_explain(form, perform_then_say)
        if message is not None:
            messages.success(request, message)
            return redirect(case_url)
    return render(request, "staff/action.html", {
        "case": case, "spec": spec, "form": form, "fieldsets": [], "facts": facts, "case_url": case_url,
        "stale": stale, "organisation_name": request.member.council.name, "has_file": False,
    })


@staff_required
def action_complete_page(request, reference: str, pk: int):
    case = case_for(request.member, reference)
    action = get_object_or_404(Action.objects.select_related("outcome", "owner"), pk=pk, outcome__complaint=case)
    if not may_complete_action(request.member, action):
        raise PermissionDenied("Only the action's owner or a complaints officer or manager can mark it as completed")
    done = action.completed_at

    def perform(data):
        action_complete(action=action, by=request.user, at=instant_on(data["on"]), note=data["evidence"],
                        expected_version=data["version"])

    return _promise_page(
        request, case, form_class=ActionCompleteForm, prefix=action_prefix(action.pk),
        spec=PageSpec("Mark the action as completed", "Mark as completed"),
        facts=[("Action", action.description), ("Owner", display_name(action.owner)),
               ("Due", format_date(action.due_date))],
        done_message=f"That action was already completed on {format_date(london_date(done))}" if done else "",
        perform=perform, success=f"Action completed: {action.description}")


@staff_required
def remedy_comply_page(request, reference: str, pk: int):
    case = case_for(request.member, reference)
    remedy = get_object_or_404(Remedy.objects.select_related("decision__case"), pk=pk,
                               decision__case__complaint=case)
    referral = remedy.decision.case
    if not may_record_compliance(request.member, referral):
        raise PermissionDenied("Only the Ombudsman case's council contact or a complaints officer or manager can "
                               "record compliance")
    done = remedy.complied_at

    def perform(data):
        remedy_comply(remedy=remedy, by=request.user, evidence=data["evidence"], at=instant_on(data["on"]),
                      expected_version=data["version"])

    return _promise_page(
        request, case, form_class=RemedyComplyForm, prefix=remedy_prefix(remedy.pk),
        spec=PageSpec("Record compliance with the Ombudsman's remedy", "Record compliance"),
        facts=[("Ombudsman case", str(referral)), ("Remedy", f"{remedy.get_kind_display()}: {remedy.description}"),
               ("Due", format_date(remedy.due_date))],
        done_message=f"That remedy was already recorded as complied with on {format_date(london_date(done))}" if done
        else "",
        perform=perform, success=f"Compliance recorded: {remedy.get_kind_display()}")
