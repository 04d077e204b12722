"""/api/: the v1 endpoints, the OpenAPI schema, its docs page, and JSON 404s for anything else."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from complaints.api import views_complaints as vc
from complaints.api import views_attachments as va
from complaints.api import views_records as vr
from complaints.api.docs import api_docs
from complaints.api.errors import not_found

app_name = "api"

complaint_urls = [
    path("", vc.ComplaintDetailView.as_view(), name="complaint"),
    path("notes/", vc.ComplaintNotesView.as_view(), name="complaint-notes"),
    path("correspondence/", vc.ComplaintCorrespondenceView.as_view(), name="complaint-correspondence"),
    path("correspondence/<int:correspondence_id>/attachments/", va.CorrespondenceAttachmentsView.as_view(),
         name="correspondence-attachments"),
    path("attachments/", va.ComplaintAttachmentsView.as_view(), name="complaint-attachments"),
    path("attachments/<int:pk>/download/", va.AttachmentDownloadView.as_view(),
         name="complaint-attachment-download"),
    path("deadlines/", vc.ComplaintDeadlinesView.as_view(), name="complaint-deadlines"),
    *[path(f"{name}/", view, name=f"complaint-{name}") for name, view in vc.ACTION_VIEWS.items()],
]

v1 = [
    path("complaints/", vc.ComplaintListCreateView.as_view(), name="complaints"),
    path("complaints/<str:reference>/", include(complaint_urls)),
    path("deadlines/", vr.DeadlineListView.as_view(), name="deadlines"),
    path("councils/", vr.CouncilListView.as_view(), name="councils"),
    path("councils/<slug:slug>/", vr.CouncilDetailView.as_view(), name="council"),
    path("ombudsman-cases/", vr.OmbudsmanCaseListView.as_view(), name="ombudsman-cases"),
    path("ombudsman-cases/<int:pk>/", vr.OmbudsmanCaseDetailView.as_view(), name="ombudsman-case"),
    path("feedback/", vr.FeedbackListCreateView.as_view(), name="feedback"),
    path("dashboard/", vr.DashboardView.as_view(), name="dashboard"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
    path("v1/", include(v1)),
    re_path(r"", not_found),
]
