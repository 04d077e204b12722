"""Marking a promise kept: a remedy or learning action completed, an Ombudsman remedy complied with.

Each form carries the case version like every action form, and a prefix of its
own (``action-<id>``, ``remedy-<id>``) so the case page can show one form per
open promise without two fields sharing an id.
"""

from __future__ import annotations

from complaints.staff.forms import CaseForm, date_field, text_field


def action_prefix(pk: int) -> str:
    return f"action-{pk}"


def remedy_prefix(pk: int) -> str:
    return f"remedy-{pk}"


class ActionCompleteForm(CaseForm):
    on = date_field("Date it was completed", default_today=True)
    evidence = text_field("Evidence that it was done", rows=3, help_text=(
        "What was done, and where the proof is: for example, the street was added to the assisted "
        "collection list; the confirmation email is on the case."))


class RemedyComplyForm(CaseForm):
    on = date_field("Date the remedy was complied with", default_today=True)
    evidence = text_field("Evidence of compliance", rows=3, help_text=(
        "What was done and the proof sent to the Ombudsman: for example, the apology letter of 3 November; "
        "payment reference 991."))
