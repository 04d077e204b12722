from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Complaints officers' and managers' case screens."""

    name = "complaints.staff"
    label = "staff"
    verbose_name = "Case screens"
