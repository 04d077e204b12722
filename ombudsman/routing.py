"""Which Ombudsman a complaint goes to, and why, from the council's policy file.

Where the policy text is out of date with the law (the Barnet Group's 8-week
wait and designated-person filter), the current route is given and the
policy line is flagged; the rule lives in the policy file, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from complaints.models import Complaint
from ombudsman.contacts import OmbudsmanContact, ombudsman_for


@dataclass(frozen=True)
class Suggestion:
    contact: OmbudsmanContact
    after_stage: str | None
    reason: str
    outdated: list[str] = field(default_factory=list)


def ombudsman_suggest(*, complaint: Complaint) -> Suggestion:
    """The Ombudsman for this complaint's service areas, with the policy rule that decides it."""
    policy = complaint.policy
    categories = sorted(set(complaint.service_areas.values_list("category", flat=True)) | (
        {complaint.category} if complaint.category else set()))
    routes = [ombudsman_for(policy, category) for category in categories]
    specific = [route for route in routes if not route.is_default]
    if specific:
        # A named route beats the default; several named routes: the one reached latest in the procedure.
        order = policy.stage_keys
        chosen = max(specific, key=lambda route: order.index(route.after_stage))
        reason = (f"{chosen.category.replace('_', ' ')} complaints go to the {chosen.contact.name} after "
                  f"{policy.stage(chosen.after_stage).name} ({policy.short_name} policy {chosen.source})")
        after = chosen.after_stage
        contact = chosen.contact
    else:
        fallback = ombudsman_for(policy, categories[0] if categories else "")
        contact, after = fallback.contact, policy.stage_keys[-1]
        reason = (f"no route names this service, so the policy's default applies: the {contact.name} "
                  f"({policy.short_name} policy {fallback.source})")
    outdated = [f"{item.text} — out of date since {item.changed_on:%-d %B %Y}: {item.current_position} "
                f"(policy {item.source})" for item in policy.ombudsman.outdated]
    return Suggestion(contact=contact, after_stage=after, reason=reason, outdated=outdated)
