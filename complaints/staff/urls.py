"""Staff case screens: the case list, a case, and one page per action."""

from django.urls import path

from complaints.staff import views_actions, views_case, views_list

app_name = "staff"

urlpatterns = [
    path("cases/", views_list.case_list, name="cases"),
    path("cases/<str:reference>/", views_case.case_detail, name="case"),
    path("cases/<str:reference>/<slug:slug>/", views_actions.case_action, name="action"),
]
