"""The access audit, conflicts of interest and letter templates: readable (never editable) in the admin.

Council administrators see their own council's rows only (never a case they
are barred from) and the letter templates their council's letters use; a
system administrator sees everything.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path

from complaints.staff.admin_filters import DateRangeFilter
from complaints.staff.admin_scope import CouncilScopedAdmin, admin_member
from complaints.staff.letter_files import letter_file, letter_files
from complaints.staff.models import CaseView, ConflictOfInterest, LetterTemplate
from policies.admin import ReadOnlyAdmin


class NotBarredAdmin(CouncilScopedAdmin, ReadOnlyAdmin):
    council_lookup = "complaint__council"
    council_admin_may = frozenset({"view"})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if admin_member(request) is not None:
            queryset = queryset.exclude(complaint__conflicts_of_interest__user=request.user)
        return queryset


@admin.register(CaseView)
class CaseViewAdmin(NotBarredAdmin):
    """The access audit: search by case reference or by a person's username or name; filter by how and when."""

    list_display = ["viewed_at", "complaint", "user", "action", "detail"]
    list_filter = ["action", ("viewed_at", DateRangeFilter), "complaint__council"]
    list_select_related = ["complaint", "user"]
    search_fields = ["complaint__reference", "user__username", "user__first_name", "user__last_name"]
    search_help_text = "A case reference (e.g. LBD-2026-00012), or a username, first or last name."
    date_hierarchy = "viewed_at"
    ordering = ["-viewed_at", "-pk"]
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(NotBarredAdmin):
    list_display = ["complaint", "user", "recorded_by", "recorded_at"]
    list_filter = ["complaint__council"]
    list_select_related = ["complaint", "user", "recorded_by"]
    search_fields = ["complaint__reference", "user__username"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(CouncilScopedAdmin, ReadOnlyAdmin):
    """A read-only list of the template files and a page showing each; no table behind it.

    The model's own admin URLs are replaced: the list (named as the changelist,
    so the admin index links to it) and one page per file.
    """

    council_admin_may = frozenset({"view"})

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("", view(self.files_view), name=f"{prefix}_changelist"),
            path("<slug:folder>/<slug:kind>/", view(self.file_view), name=f"{prefix}_file"),
        ]

    def _council(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        member = admin_member(request)
        return member.council if member is not None else None

    def _context(self, request, title: str, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}

    def files_view(self, request):
        council = self._council(request)
        return TemplateResponse(request, "staff/admin/letter_templates.html", self._context(
            request, "Letter templates", council=council, files=letter_files(council)))

    def file_view(self, request, folder: str, kind: str):
        council = self._council(request)
        item = letter_file(folder, kind, council)
        if item is None:
            raise Http404("No such letter template")
        return TemplateResponse(request, "staff/admin/letter_template.html",
                                self._context(request, item.name, file=item))
