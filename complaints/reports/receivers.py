"""Model signals that bump the dashboard generations (see ``dashboard_cache`` for why these are all).

Connected in ``ReportsConfig.ready``. Each receiver only names the council whose boards the row
feeds; the work is one cache write now and one on commit.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from complaints.models import Complaint, Deadline, ServiceArea
from complaints.reports import dashboard_cache
from policies.models import Council, PolicyVersion

USER_NAME_FIELDS = {"first_name", "last_name", "username"}


def council_row_changed(sender, instance, **kwargs) -> None:
    """A case, deadline, service area or policy version: its own council's boards."""
    dashboard_cache.bump(instance.council_id)


def case_areas_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A case's service areas (from either side of the link)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        dashboard_cache.bump(instance.council_id)
    elif action == "post_clear":
        dashboard_cache.bump(instance.council_id)  # an area's cases are of the area's council
    else:
        dashboard_cache.bump(*set(Complaint.objects.filter(pk__in=pk_set).values_list("council_id", flat=True)))


def council_changed(sender, instance, **kwargs) -> None:
    dashboard_cache.bump(dashboard_cache.ALL, instance.pk)


def user_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """An officer's name labels the officer rows; a save of other fields only (a login) changes nothing."""
    if update_fields is None or USER_NAME_FIELDS & set(update_fields):
        dashboard_cache.bump(dashboard_cache.ALL)


def connect() -> None:
    for model in (Complaint, Deadline, ServiceArea, PolicyVersion):
        post_save.connect(council_row_changed, sender=model, dispatch_uid=f"dashboard-{model.__name__}-save")
        post_delete.connect(council_row_changed, sender=model, dispatch_uid=f"dashboard-{model.__name__}-delete")
    m2m_changed.connect(case_areas_changed, sender=Complaint.service_areas.through, dispatch_uid="dashboard-areas")
    post_save.connect(council_changed, sender=Council, dispatch_uid="dashboard-council-save")
    post_delete.connect(council_changed, sender=Council, dispatch_uid="dashboard-council-delete")
    user = get_user_model()
    post_save.connect(user_changed, sender=user, dispatch_uid="dashboard-user-save")
    post_delete.connect(user_changed, sender=user, dispatch_uid="dashboard-user-delete")
