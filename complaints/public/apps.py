from django.apps import AppConfig


class PublicConfig(AppConfig):
    """Residents' complaint form and case tracking."""

    name = "complaints.public"
    label = "public"
    verbose_name = "Public complaint form"

    def ready(self):
        from complaints.public import bodies, sessions, tokens
        from complaints.services.delivery import body_filler_register

        bodies.forget_bodies_on_change()
        sessions.staff_timeout_on_login()
        body_filler_register(tokens.tracking_link_fill)
