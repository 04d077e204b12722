"""The access audit and conflicts of interest, readable (not editable) in the admin."""

from django.contrib import admin

from complaints.staff.models import CaseView, ConflictOfInterest
from policies.admin import ReadOnlyAdmin


@admin.register(CaseView)
class CaseViewAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "user", "viewed_at"]
    list_filter = ["complaint__council"]
    search_fields = ["complaint__reference", "user__username"]
    date_hierarchy = "viewed_at"


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "user", "recorded_by", "recorded_at"]
    list_filter = ["complaint__council"]
    search_fields = ["complaint__reference", "user__username"]
