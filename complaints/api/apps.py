from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "complaints.api"
    label = "api"
    verbose_name = "Integration API"

    def ready(self):
        # Registers the OpenAPI description of the token authentication with drf-spectacular.
        from complaints.api import schema  # noqa: F401
