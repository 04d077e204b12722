"""Admin for council administrators: their council's staff and service areas. Cases change only through services.

A council administrator (StaffMember role council_admin, is_staff) creates and
edits the people of their own council (account and role together) and its
service areas; everything they see is their council's
(complaints.staff.admin_scope). Cases are read-only, and for system
administrators only: officers work cases in the case screens.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from complaints.models import Complaint, ServiceArea, StaffMember
from complaints.staff.admin_forms import StaffMemberForm
from complaints.staff.admin_scope import CouncilScopedAdmin, admin_member
from policies.admin import ReadOnlyAdmin


@admin.register(StaffMember)
class StaffMemberAdmin(CouncilScopedAdmin):
    form = StaffMemberForm
    council_admin_may = frozenset({"view", "add", "change"})
    list_display = ["user", "full_name", "council", "role", "active"]
    list_filter = ["council", "role"]
    list_select_related = ["user", "council"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    ordering = ["council__name", "user__first_name", "user__last_name"]

    @admin.display(description="Name", ordering="user__last_name")
    def full_name(self, member):
        return member.user.get_full_name()

    @admin.display(description="Active", boolean=True, ordering="user__is_active")
    def active(self, member):
        return member.user.is_active

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if admin_member(request) is not None:
            queryset = queryset.exclude(user__is_superuser=True)
        return queryset

    def get_fieldsets(self, request, obj=None):
        person = ["username", "first_name", "last_name", "email"] + (["is_active"] if obj is not None else [])
        return [
            ("Person", {"fields": person}),
            ("Place in the council", {"fields": ["council", "role"]}),
            ("Password", {"fields": ["password1", "password2"], "classes": ["collapse"] if obj else []}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def save_model(self, request, obj, form, change):
        obj.user = form.save_user()
        super().save_model(request, obj, form, change)


@admin.register(ServiceArea)
class ServiceAreaAdmin(CouncilScopedAdmin):
    council_admin_may = frozenset({"view", "add", "change"})
    list_display = ["name", "council", "category"]
    list_filter = ["council", "category"]
    list_select_related = ["council"]
    search_fields = ["name"]


@admin.register(Complaint)
class ComplaintAdmin(CouncilScopedAdmin, ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["reference", "council", "state", "stage", "received_at", "assigned_officer"]
    list_filter = ["council", "state"]
    list_select_related = ["council", "assigned_officer"]
    search_fields = ["reference"]
