from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Managers' overdue dashboard, trends and the reports the Complaint Handling Codes require."""

    name = "complaints.reports"
    label = "reports"
    verbose_name = "Dashboard and reports"

    def ready(self):
        from complaints.reports import receivers

        receivers.connect()
