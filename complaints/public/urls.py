"""Residents' complaint form and tracking: ``/<body>/complain/...`` and ``/<body>/track/...``."""

from django.urls import path

from complaints.public import views_journey as journey
from complaints.public import views_tracking as tracking

app_name = "public"

urlpatterns = [
    path("<slug:slug>/complain/", journey.start, name="start"),
    path("<slug:slug>/complain/check/", journey.check, name="check"),
    path("<slug:slug>/complain/done/", journey.done, name="done"),
    path("<slug:slug>/complain/cannot-continue/", journey.cannot_continue, name="cannot_continue"),
    path("<slug:slug>/complain/<slug:step_slug>/", journey.step, name="step"),
    path("<slug:slug>/track/", tracking.request_link, name="request_link"),
    path("<slug:slug>/track/<str:token>/", tracking.track, name="track"),
    path("<slug:slug>/track/<str:token>/add/", tracking.add_information, name="track_add"),
    path("<slug:slug>/track/<str:token>/escalate/", tracking.escalate, name="track_escalate"),
    path("<slug:slug>/track/<str:token>/withdraw/", tracking.withdraw, name="track_withdraw"),
]
