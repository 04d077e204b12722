"""Every endpoint needs a caller who acts for a council; objects are then scoped to that council."""

from rest_framework.permissions import BasePermission

from complaints.api.authentication import caller


class ActsForCouncil(BasePermission):
    message = "Your account is not set up for a council on this service"

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and caller(request) is not None)
