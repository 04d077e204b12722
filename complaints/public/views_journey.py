"""The complaint form's pages: parse each answer, keep it in the session, send at the end."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from complaints.public import clock, limits, rules
from complaints.public.bodies import public_body
from complaints.public.fields import to_session
from complaints.public.journey import STEP_BY_SLUG, Journey, Step
from complaints.public.models import Submission
from complaints.public.notices import confirmation_context
from complaints.public.sessions import duration_words, expired_message, resident_idle_seconds, resident_session
from complaints.public.submit import UploadsLost, complaint_send, feedback_send
from complaints.public.summary import rows
from complaints.public.tokens import tracking_link_placeholder
from complaints.public.uploads import discard_pending, store_pending
from complaints.services.errors import DomainError
from policies.models import Council
from policies.schema import Policy


def council_and_policy(slug: str) -> tuple[Council, Policy]:
    """The council and the policy in force today (cached per process: ``bodies.public_body``)."""
    body = public_body(slug)
    return body.council, body.policy


def journey_for(request, slug: str) -> Journey:
    body = public_body(slug)
    resident_session(request)
    return Journey(request.session, body.council, body.policy, body.service_areas)


def _ended(request, journey: Journey, step: Step | None) -> bool:
    """A page was sent from a session that no longer has this journey (it ended while the resident was
    away): anything but the first question means answers were lost, and the resident is told so."""
    if request.method != "POST" or journey.resumed:
        return False
    first = journey.applicable()[0]
    return step is None or step.slug != first.slug


def _start_again(request, slug: str):
    messages.warning(request, expired_message(resident_idle_seconds()))
    return redirect("public:start", slug=slug)


def step_url(journey: Journey, step: Step | None) -> str:
    if step is None:
        return reverse("public:check", args=[journey.council.slug])
    return reverse("public:step", args=[journey.council.slug, step.slug])


def _page(request, journey: Journey, template: str, status: int = 200, **context):
    return render(request, template, {"council": journey.council, "policy": journey.policy, "journey": journey,
                                      "answers_kept_for": duration_words(request.session.get_expiry_age()),
                                      **context}, status=status)


def start(request, slug):
    journey = journey_for(request, slug)
    first = journey.applicable()[0]
    resume_url = step_url(journey, journey.first_incomplete()) if journey.answers else ""
    return _page(request, journey, "public/start.html", start_url=step_url(journey, first), resume_url=resume_url,
                 kinds=journey.kinds, other_kinds=rules.other_kinds_phrase(journey.kinds), time_limit_words=rules.time_limit_words(journey.policy),
                 anonymous_message=rules.anonymous_message(journey.policy))


def _save_files(step: Step, form, journey: Journey, data: dict) -> None:
    """Keep uploads privately; the session keeps what they are."""
    if step.slug == "consent":
        previous = journey.value("consent", "file")
        upload = form.cleaned_data.get("consent_file")
        if upload:
            if previous:
                discard_pending(previous)
            previous = store_pending(upload, form.consent_content_type)
        data["file"] = previous
    if step.slug == "evidence":
        data["files"] = list(journey.files)
        upload = form.cleaned_data.get("evidence")
        if upload:
            data["files"].append(store_pending(upload, form.evidence_content_type))


def _remove_evidence(journey: Journey, file_id: str) -> None:
    kept = []
    for info in journey.files:
        if info["id"] == file_id:
            discard_pending(info)
        else:
            kept.append(info)
    journey.answers["evidence"]["files"] = kept
    journey.session.modified = True


@require_http_methods(["GET", "POST"])
def step(request, slug, step_slug):
    journey = journey_for(request, slug)
    current = STEP_BY_SLUG.get(step_slug)
    if current is None:
        raise Http404("No such question")
    if _ended(request, journey, current):
        return _start_again(request, slug)
    if not journey.applies(step_slug) or not journey.reachable(step_slug):
        return redirect(step_url(journey, journey.first_incomplete()))
    changing = request.GET.get("change") == "1"
    if request.method == "POST" and current.slug == "evidence" and request.POST.get("remove"):
        _remove_evidence(journey, request.POST["remove"])
        return redirect(request.get_full_path())
    if request.method == "POST":
        form = current.form(request.POST, request.FILES, journey=journey)
        uploading = current.slug == "evidence" and request.POST.get("action") == "upload"
        if form.is_valid() and uploading and not form.cleaned_data.get("evidence"):
            form.add_error("evidence", "Select a file to upload")
        if form.is_valid():
            data = {**to_session(form.cleaned_data), "_saved": not uploading or journey.is_done(current)}
            _save_files(current, form, journey, data)
            journey.save(current.slug, data)
            if uploading:
                return redirect(request.get_full_path())
            if current.slug == "role" and journey.role_excluded:
                return redirect("public:cannot_continue", slug=slug)
            following = journey.first_incomplete() if changing else journey.next_after(current.slug)
            return redirect(step_url(journey, following))
    else:
        form = current.form(initial=journey.answers.get(current.slug), journey=journey)
    previous = journey.previous(current.slug)
    back = (reverse("public:check", args=[slug]) if changing else
            step_url(journey, previous) if previous else reverse("public:start", args=[slug]))
    return _page(request, journey, current.template, step=current, form=form, back_url=back,
                 time=journey.time, time_limit_words=rules.time_limit_words(journey.policy),
                 consent_words=rules.consent_words(journey.policy))


def _upload_again(request, journey: Journey, lost: UploadsLost):
    """Forget files deleted as abandoned and ask for them again on their page; every other answer is kept."""
    gone = {info["stored"] for info in lost.lost}
    journey.answers.setdefault("evidence", {})["files"] = [info for info in journey.files if info["stored"] not in gone]
    page = "evidence"
    consent = journey.answers.get("consent", {})
    if consent.get("file") and consent["file"]["stored"] in gone:
        consent.update(file=None, _saved=False)  # asked again: the policy may need the document
        page = "consent"
    journey.session.modified = True
    messages.warning(request, lost.message)
    return redirect(step_url(journey, STEP_BY_SLUG[page]))


def cannot_continue(request, slug):
    journey = journey_for(request, slug)
    if not journey.role_excluded:
        return redirect("public:start", slug=slug)
    return _page(request, journey, "public/cannot_continue.html",
                 route=journey.policy.representatives.excluded_roles_route,
                 role_label=rules.role_phrase(journey.policy, journey.role),
                 change_url=reverse("public:step", args=[slug, "role"]))


@require_http_methods(["GET", "POST"])
def check(request, slug):
    journey = journey_for(request, slug)
    if request.method == "POST" and journey.sent_from_here(request.POST.get("key", "")):
        return redirect("public:done", slug=slug)  # sent already: a double click or a resent page
    if _ended(request, journey, None):
        return _start_again(request, slug)
    if journey.role_excluded:
        return redirect("public:cannot_continue", slug=slug)
    missing = journey.first_incomplete()
    if missing is not None:
        return redirect(step_url(journey, missing))
    error, status = "", 200
    if request.method == "POST" and request.POST.get("key") == journey.key:
        email = "" if journey.anonymous else journey.answers.get("contact", {}).get("email", "")
        refusal = limits.limit_reached("submission", request=request, email=email)
        if limits.honeypot_filled(request):
            error, status = limits.HONEYPOT_MESSAGE, 400
        elif refusal is not None:
            error, status = refusal.message, 429
        else:
            try:
                sent = _send(request, journey, slug)
            except UploadsLost as exc:
                return _upload_again(request, journey, exc)
            except DomainError as exc:
                error = exc.message
            else:
                journey.finished(sent.submission.key)
                limits.limit_count("submission", request=request, email=email)
                return redirect("public:done", slug=slug)
    return _page(request, journey, "public/check.html", status=status, rows=rows(journey), key=journey.key,
                 error=error, honeypot=limits.HONEYPOT_FIELD, time=journey.time,
                 back_url=step_url(journey, journey.applicable()[-1]),
                 anonymous_service_request=journey.anonymous and rules.anonymous_is_service_request(journey.policy))


def _send(request, journey: Journey, slug: str):
    if journey.is_complaint:
        track_root = request.build_absolute_uri(reverse("public:request_link", args=[slug]))
        return complaint_send(journey=journey, received_at=clock.now(), track_url=tracking_link_placeholder(track_root))
    return feedback_send(journey=journey, received_at=clock.now())


def done(request, slug):
    journey = journey_for(request, slug)
    submission = (Submission.objects
                  .select_related("complaint__policy_version", "complaint__complainant", "complaint__council",
                                  "feedback")
                  .defer("complaint__policy_version__content")  # the policy is shared per process
                  .filter(key=journey.state.get("last") or "-", council=journey.council).first())
    if submission is None:
        return redirect("public:start", slug=slug)
    context = {"submission": submission}
    if submission.complaint is not None:
        context.update(confirmation_context(submission.complaint))
    else:
        context["feedback"] = submission.feedback
        context["noun"] = rules.KIND_NOUNS.get(submission.feedback.kind if submission.feedback else "", "feedback")
    return _page(request, journey, "public/done.html", **context)
