"""Admin for council administrators: staff and service areas. Cases change only through services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from complaints.models import Complaint, ServiceArea, StaffMember
from policies.admin import ReadOnlyAdmin


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "council", "role"]
    list_filter = ["council", "role"]
    search_fields = ["user__username", "user__last_name"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "council", "category"]
    list_filter = ["council", "category"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["reference", "council", "state", "stage", "received_at", "assigned_officer"]
    list_filter = ["council", "state"]
    search_fields = ["reference"]
