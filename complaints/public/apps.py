from django.apps import AppConfig


class PublicConfig(AppConfig):
    """Residents' complaint form and case tracking."""

    name = "complaints.public"
    label = "public"
    verbose_name = "Public complaint form"
