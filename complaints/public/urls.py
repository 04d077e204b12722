"""Residents' complaint form and tracking."""

urlpatterns: list = []
