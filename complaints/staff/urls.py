"""Staff case screens: the case list, a case, and one page per action."""

from django.urls import path

from complaints.staff import views_actions, views_case, views_files, views_list, views_promises

app_name = "staff"

urlpatterns = [
    path("cases/", views_list.case_list, name="cases"),
    path("cases/<str:reference>/", views_case.case_detail, name="case"),
    path("cases/<str:reference>/<slug:slug>/", views_actions.case_action, name="action"),
    path("cases/<str:reference>/files/<int:pk>/", views_files.attachment_download, name="attachment"),
    path("cases/<str:reference>/actions/<int:pk>/complete/", views_promises.action_complete_page,
         name="action_complete"),
    path("cases/<str:reference>/ombudsman-remedies/<int:pk>/comply/", views_promises.remedy_comply_page,
         name="remedy_comply"),
]
