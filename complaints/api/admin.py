"""Integration tokens in the admin: see and revoke them (new ones come from create_api_token,
which is the only place the key is ever shown)."""

from django.contrib import admin
from django.utils import timezone

from complaints.api.models import IntegrationToken


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "council", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["council", ("revoked_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["name", "council", "key_hash", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} token{'s' if count != 1 else ''}.")
