"""Following a case with a private link: see where it is, add to it, escalate or withdraw it."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from complaints.public import clock, limits
from complaints.public.forms_tracking import (
    AddInformationForm,
    EscalateForm,
    LinkRequestForm,
    WithdrawForm,
)
from complaints.public.notices import tracking_link_queue
from complaints.public.status import (
    can_add_information,
    can_withdraw,
    escalation_offer,
    status_context,
)
from complaints.public.tokens import (
    complaint_for_resend,
    tracking_link_placeholder,
    tracking_token_check,
)
from complaints.public.views_journey import council_and_policy
from complaints.services.errors import DomainError
from complaints.services.lifecycle import complaint_escalate, complaint_withdraw
from complaints.services.people import correspondence_attach
from complaints.services.records import complaint_record_correspondence


def _posted(request):
    """The submitted data (even an empty submission is bound, so it shows its errors)."""
    return request.POST if request.method == "POST" else None


def _page(request, council, policy, template, status=200, **context):
    response = render(request, template, {"council": council, "policy": policy, **context}, status=status)
    response["Cache-Control"] = "no-store, private"
    # The link is the key to the case: it is never sent to another site. (Not "no-referrer":
    # browsers then send "Origin: null" with the page's own forms, which CSRF protection refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def request_link(request, slug):
    council, policy = council_and_policy(slug)
    form = LinkRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        refusal = limits.limit_reached("link", request=request, email=form.cleaned_data["email"])
        refused = (limits.HONEYPOT_MESSAGE, 400) if limits.honeypot_filled(request) else (
            (refusal.message, 429) if refusal is not None else None)
        if refused is not None:
            form.add_error(None, refused[0])
            return _page(request, council, policy, "public/track/request.html", status=refused[1], form=form,
                         honeypot=limits.HONEYPOT_FIELD)
        limits.limit_count("link", request=request, email=form.cleaned_data["email"])
        case = complaint_for_resend(council=council, reference=form.cleaned_data["reference"],
                                    email=form.cleaned_data["email"])
        if case is not None:  # queued, so the page takes as long whether or not the details matched
            track_root = request.build_absolute_uri(reverse("public:request_link", args=[slug]))
            tracking_link_queue(complaint=case, track_url=tracking_link_placeholder(track_root))
        # The same answer whether or not the details matched: the page never confirms a case exists.
        return _page(request, council, policy, "public/track/sent.html", email=form.cleaned_data["email"])
    return _page(request, council, policy, "public/track/request.html", form=form, honeypot=limits.HONEYPOT_FIELD)


def _open(request, slug, token):
    """(council, policy, case, response): the response is set when the link does not open a case."""
    council, policy = council_and_policy(slug)
    check = tracking_token_check(council=council, raw=token)
    if check.status == "valid":
        return council, policy, check.complaint, None
    status = 410 if check.status == "expired" else 404
    response = _page(request, council, policy, "public/track/invalid.html", status=status,
                     expired=check.status == "expired")
    return council, policy, None, response


@never_cache
def track(request, slug, token):
    council, policy, case, refused = _open(request, slug, token)
    if refused:
        return refused
    return _page(request, council, policy, "public/track/status.html", token=token, **status_context(case))


def _back(slug, token):
    return redirect("public:track", slug=slug, token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def add_information(request, slug, token):
    council, policy, case, refused = _open(request, slug, token)
    if refused:
        return refused
    if not can_add_information(case):
        messages.info(request, "This complaint is no longer open, so you cannot add information to it here.")
        return _back(slug, token)
    form = AddInformationForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the message and its file are kept together, or not at all
                item = complaint_record_correspondence(
                    complaint=case, by=None, direction="in", kind="email", occurred_at=clock.now(),
                    subject="Information added by the complainant online", body=form.cleaned_data["text"])
                if form.cleaned_data.get("attachment"):
                    correspondence_attach(correspondence=item, by=None,
                                          uploaded_file=form.cleaned_data["attachment"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "We have added your information to your complaint")
            return _back(slug, token)
    return _page(request, council, policy, "public/track/add.html", form=form, complaint=case, token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def escalate(request, slug, token):
    council, policy, case, refused = _open(request, slug, token)
    if refused:
        return refused
    offer = escalation_offer(case)
    if offer is None:
        messages.info(request, "You cannot ask for the next stage of this complaint at the moment.")
        return _back(slug, token)
    form = EscalateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        now = clock.now()
        reason = form.cleaned_data["reason"]
        try:
            if offer.in_window:
                with transaction.atomic():  # the request and its reasons are kept together, or not at all
                    complaint_record_correspondence(
                        complaint=case, by=None, direction="in", kind="email", occurred_at=now, body=reason,
                        subject=f"Request for {offer.stage.name} made online")
                    complaint_escalate(complaint=case, by=None, requested_at=now)
                messages.success(request, f"You have asked for {offer.stage.name}")
            else:
                complaint_record_correspondence(
                    complaint=case, by=None, direction="in", kind="email", occurred_at=now, body=reason,
                    subject=f"Late request for {offer.stage.name} made online (after {offer.last_day_words})")
                messages.success(request, "We have sent your late request to a complaints officer, who will "
                                          "decide whether to accept it")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _back(slug, token)
    return _page(request, council, policy, "public/track/escalate.html", form=form, complaint=case, token=token,
                 offer=offer)


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request, slug, token):
    council, policy, case, refused = _open(request, slug, token)
    if refused:
        return refused
    if not can_withdraw(case):
        messages.info(request, "This complaint cannot be withdrawn because it is no longer open.")
        return _back(slug, token)
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"].strip()
        try:
            complaint_withdraw(complaint=case, by=None, at=clock.now(),
                               reason=f"Withdrawn by the complainant online{': ' + reason if reason else ''}")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "You have withdrawn your complaint")
            return _back(slug, token)
    return _page(request, council, policy, "public/track/withdraw.html", form=form, complaint=case, token=token)
