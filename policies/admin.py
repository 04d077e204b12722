"""Policies are read-only in the admin: they come from the policy files (load_policies).

A council administrator may read their own council and its policy versions;
nobody adds, changes or deletes them here.
"""

from django.contrib import admin

from complaints.staff.admin_scope import CouncilScopedAdmin
from policies.models import Council, PolicyVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Council)
class CouncilAdmin(CouncilScopedAdmin, ReadOnlyAdmin):
    council_lookup = "pk"
    council_admin_may = frozenset({"view"})
    list_display = ["name", "slug", "reference_prefix"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(CouncilScopedAdmin, ReadOnlyAdmin):
    council_admin_may = frozenset({"view"})
    list_display = ["council", "version_id", "effective_from", "loaded_at", "source_file"]
    list_filter = ["council"]
    list_select_related = ["council"]
