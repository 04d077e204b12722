"""Staff case screens."""

urlpatterns: list = []
