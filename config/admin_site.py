"""The admin site: Django's, with object pages that check the model permission before the object.

Django's history page looks the object up first and checks permission second, so a
staff user without access to a model gets 403 for an id that exists and "does not
exist" for one that does not: a council administrator could count another council's
cases or users by trying ids. Here every ModelAdmin page about one object (any URL
with an object id) first asks whether the user may view that model at all; if not,
it is 403 whatever the id. Rows the user may view but that are outside their
council already answer "does not exist" (complaints.staff.admin_scope).
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied

OBJECT_KWARGS = ("object_id", "id")


class ServiceAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        if not isinstance(model_admin, admin.ModelAdmin):
            return inner

        @wraps(inner)
        def permission_first(request, *args, **kwargs):
            about_an_object = args or any(name in kwargs for name in OBJECT_KWARGS)
            if (about_an_object and request.user.is_active and request.user.is_staff
                    and not request.user.is_superuser and not model_admin.has_view_or_change_permission(request)):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return permission_first


class ServiceAdminConfig(AdminConfig):
    default_site = "config.admin_site.ServiceAdminSite"
