from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Data protection: retention, subject access exports, rectification and log scrubbing."""

    name = "complaints.privacy"
    label = "privacy"
    verbose_name = "Data protection"
