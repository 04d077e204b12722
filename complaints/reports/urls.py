"""Dashboard and reports."""

from django.urls import path

from complaints.reports import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/trends/", views.trends, name="dashboard_trends"),
    path("reports/<slug:slug>/<int:year>/", views.annual_report, name="annual_report"),
    path("reports/<slug:slug>/<int:year>/print/", views.annual_report, {"printable": True},
         name="annual_report_print"),
    path("reports/<slug:slug>/<int:year>/report.pdf", views.annual_report, {"as_pdf": True}, name="annual_report_pdf"),
    path("reports/<slug:slug>/<int:year>/q<int:quarter>/", views.quarterly_report, name="quarterly_report"),
    path("reports/<slug:slug>/<int:year>/q<int:quarter>/print/", views.quarterly_report, {"printable": True},
         name="quarterly_report_print"),
    path("reports/<slug:slug>/<int:year>/q<int:quarter>/report.pdf", views.quarterly_report, {"as_pdf": True},
         name="quarterly_report_pdf"),
]
