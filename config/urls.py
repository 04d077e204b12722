"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from config.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("config.auth")),
    path("", include("complaints.staff.urls")),
    path("", include("complaints.public.urls")),
    path("", include("complaints.reports.urls")),
    path("", include("complaints.privacy.urls")),
    path("api/", include("complaints.api.urls")),
]

# Failed requests: a GOV.UK page, or JSON under /api/ (config/errors.py).
handler400 = "config.errors.bad_request"
handler500 = "config.errors.server_error"
