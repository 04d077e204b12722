"""Small readers the journey tests share: stored deadlines and the history trail of a case."""

from complaints.models import Deadline


def dues(case, stage):
    """The stage's stored due dates by kind."""
    return {row.kind: row.due_date for row in Deadline.objects.filter(complaint=case, stage=stage)}


def row(case, stage, kind):
    return Deadline.objects.get(complaint=case, stage=stage, kind=kind)


def history(case):
    """(user, reason, state) for every recorded change, oldest first."""
    return [(h.history_user, h.history_change_reason, h.state) for h in case.history.order_by("history_id")]
