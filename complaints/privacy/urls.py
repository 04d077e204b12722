"""Data-protection pages (staff only): retention report, subject access, rectification."""

from django.urls import path

from complaints.privacy import views

app_name = "privacy"

urlpatterns = [
    path("data-protection/retention/", views.retention_report, name="retention"),
    path("data-protection/subject-access/", views.subject_access, name="subject_access"),
    path("data-protection/subject-access/export/", views.subject_access_download, name="subject_access_download"),
    path("data-protection/complainants/<int:pk>/correct/", views.rectify, name="rectify"),
]
