"""Policies are read-only in the admin: they come from the policy files (load_policies)."""

from django.contrib import admin

from policies.models import Council, PolicyVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Council)
class CouncilAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "reference_prefix"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["council", "version_id", "effective_from", "loaded_at", "source_file"]
    list_filter = ["council"]
