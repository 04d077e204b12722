"""The complaint form's pages: parse each answer, keep it in the session, send at the end."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from complaints.public import clock, rules
from complaints.public.fields import to_session
from complaints.public.journey import STEP_BY_SLUG, Journey, Step
from complaints.public.models import Submission
from complaints.public.notices import acknowledgement_send, confirmation_context
from complaints.public.submit import complaint_send, feedback_send
from complaints.public.summary import rows
from complaints.public.uploads import discard_pending, store_pending
from complaints.services.errors import DomainError
from policies.loader import policy_from_content
from policies.models import Council, PolicyVersion
from policies.schema import Policy

# Validated policies by (version id, sha256). A version is a frozen snapshot of its file (its sha256 is
# the content's digest, and loading different content under a loaded version id is refused), and a
# Policy is a frozen model, so each process validates a version once and shares it. Bounded by the
# number of versions loaded.
_POLICIES: dict[tuple[int, str], Policy] = {}


def _validated(version: PolicyVersion) -> Policy:
    key = (version.pk, version.sha256)
    policy = _POLICIES.get(key)
    if policy is None:
        content = PolicyVersion.objects.values_list("content", flat=True).get(pk=version.pk)
        policy = _POLICIES[key] = policy_from_content(content)
    return policy


def council_and_policy(slug: str) -> tuple[Council, Policy]:
    """The council and the policy in force today: one query on every page, without the policy's content.

    The same choice as ``policies.selectors.policy_version_in_force`` (the latest version effective by
    today), made together with the council's row; the content is read and validated only the first
    time this process meets the version.
    """
    version = (PolicyVersion.objects.select_related("council").defer("content")
               .filter(council__slug=slug, effective_from__lte=clock.today()).order_by("-effective_from").first())
    if version is None:
        get_object_or_404(Council, slug=slug)
        raise Http404("No complaints policy is in force for this body")
    return version.council, _validated(version)


def journey_for(request, slug: str) -> Journey:
    council, policy = council_and_policy(slug)
    return Journey(request.session, council, policy)


def step_url(journey: Journey, step: Step | None) -> str:
    if step is None:
        return reverse("public:check", args=[journey.council.slug])
    return reverse("public:step", args=[journey.council.slug, step.slug])


def _page(request, journey: Journey, template: str, **context):
    return render(request, template, {"council": journey.council, "policy": journey.policy, "journey": journey,
                                      **context})


def start(request, slug):
    journey = journey_for(request, slug)
    first = journey.applicable()[0]
    return _page(request, journey, "public/start.html", start_url=step_url(journey, first),
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
    if journey.role_excluded:
        return redirect("public:cannot_continue", slug=slug)
    missing = journey.first_incomplete()
    if missing is not None:
        return redirect(step_url(journey, missing))
    error = ""
    if request.method == "POST" and request.POST.get("key") == journey.key:
        send = complaint_send if journey.is_complaint else feedback_send
        try:
            sent = send(journey=journey, received_at=clock.now())
        except DomainError as exc:
            error = exc.message
        else:
            journey.finished(sent.submission.key)
            complaint = sent.submission.complaint
            if sent.created and complaint is not None:
                url = request.build_absolute_uri(reverse("public:track", args=[slug, sent.token])) \
                    if sent.token else ""
                acknowledgement_send(complaint=complaint, track_url=url)
            return redirect("public:done", slug=slug)
    return _page(request, journey, "public/check.html", rows=rows(journey), key=journey.key, error=error,
                 time=journey.time, back_url=step_url(journey, journey.applicable()[-1]),
                 anonymous_service_request=journey.anonymous and rules.anonymous_is_service_request(journey.policy))


def done(request, slug):
    journey = journey_for(request, slug)
    submission = (Submission.objects.select_related("complaint", "feedback")
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
