"""Data-protection pages: the retention report, subject access search and export, rectification.

Views parse input and call a service or selector; every read is scoped to the
signed-in member's council.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from complaints.privacy.access import DATA_PROTECTION_ROLES, RETENTION_ROLES, role_required
from complaints.privacy.forms import RectifyForm, SubjectExportForm, SubjectSearchForm
from complaints.privacy.models import RetentionRun
from complaints.privacy.rectification import complainant_rectify
from complaints.privacy.retention import retention_plan
from complaints.privacy.subject_access import complainants_for, complainants_matching, subject_access_export
from complaints.services.errors import DomainError

RECENT_RUNS = 10


@role_required(RETENTION_ROLES, "The retention report")
def retention_report(request):
    """The dry run for the member's council, and the audit of the latest real runs."""
    council = request.member.council
    runs = (RetentionRun.objects.filter(council=council).select_related("run_by")
            .prefetch_related("records")[:RECENT_RUNS])
    return render(request, "privacy/retention.html", {
        "plan": retention_plan(council=council), "runs": runs, "nav_privacy": True,
        "organisation_name": council.name,
    })


@role_required(DATA_PROTECTION_ROLES, "Subject access")
def subject_access(request):
    """Search (posted, so names and emails stay out of URLs and access logs), then pick the records to export."""
    council = request.member.council
    search = SubjectSearchForm(request.POST if request.method == "POST" else None)
    found, export_form = None, None
    if search.is_bound and search.is_valid():
        found = list(complainants_matching(member=request.member, text=search.cleaned_data["q"]))
        export_form = SubjectExportForm(member=request.member, initial={"complainants": [p.pk for p in found]})
        export_form.fields["complainants"].queryset = export_form.fields["complainants"].queryset.filter(
            pk__in=[p.pk for p in found])
    return render(request, "privacy/subject_access.html", {
        "form": search, "found": found, "export_form": export_form, "nav_privacy": True,
        "organisation_name": council.name,
    })


@require_POST
@role_required(DATA_PROTECTION_ROLES, "Subject access")
def subject_access_download(request):
    council = request.member.council
    form = SubjectExportForm(request.POST, member=request.member)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("complainants", [])))
        return redirect("privacy:subject_access")
    ids = [person.pk for person in form.cleaned_data["complainants"]]
    archive, _cases = subject_access_export(council=council, complainant_ids=ids, by=request.user)
    name = f"subject-access-{council.slug}-{timezone.localdate():%Y%m%d}.zip"
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")


@role_required(DATA_PROTECTION_ROLES, "Correcting a complainant's details")
def rectify(request, pk: int):
    council = request.member.council
    person = complainants_for(request.member).filter(pk=pk).prefetch_related("complaints").first()
    if person is None:
        raise Http404("No such complainant")
    initial = {name: getattr(person, name) for name in ("name", "email", "phone", "address")}
    form = RectifyForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in initial if data[name] != initial[name]}
        try:
            complainant_rectify(complainant=person, by=request.user, changes=changes, reason=data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The details were corrected and the change recorded on each case.")
            return redirect(reverse("privacy:subject_access"))
    return render(request, "privacy/rectify.html", {
        "form": form, "person": person, "nav_privacy": True, "organisation_name": council.name,
    })
