"""Rectification: correcting a complainant's name or contact details, with the reason recorded.

The correction is recorded twice: a ``Rectification`` row (which fields, why, who,
when) and an entry in the history of every case of that complainant record, so
the case timeline shows it. The old values are not kept anywhere new.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from complaints.models import Complainant
from complaints.privacy.models import Rectification, RetentionRecord
from complaints.services.base import locked_case, save_case
from complaints.services.errors import PolicyGuardFailed

RECTIFIABLE = {"name": "name", "email": "email address", "phone": "phone number", "address": "postal address"}
LIMITS = {name: Complainant._meta.get_field(name).max_length for name in RECTIFIABLE}


def _check(changes: dict[str, str]) -> None:
    unknown = sorted(set(changes) - set(RECTIFIABLE))
    if unknown:
        raise PolicyGuardFailed(f"Only {', '.join(RECTIFIABLE.values())} can be corrected here, not {unknown}")
    for name, value in changes.items():
        limit = LIMITS[name]
        if limit and len(value) > limit:
            raise PolicyGuardFailed(f"The {RECTIFIABLE[name]} can be at most {limit} characters")
    if changes.get("email"):
        try:
            validate_email(changes["email"])
        except ValidationError:
            raise PolicyGuardFailed("Enter the email address in the right format, like name@example.com") from None


@transaction.atomic
def complainant_rectify(*, complainant: Complainant, by, changes: dict[str, str], reason: str,
                        at: dt.datetime | None = None) -> Rectification:
    """Correct the given fields (a blank value clears one); refuses when nothing changes or no reason is given."""
    if not reason.strip():
        raise PolicyGuardFailed("Give the reason for the correction (for example, what the complainant told us)")
    changes = {name: value.strip() for name, value in changes.items()}
    _check(changes)
    person = Complainant.objects.select_for_update().get(pk=complainant.pk)
    if RetentionRecord.objects.filter(complaint__complainant=person).exists():
        raise PolicyGuardFailed("These details were anonymised at the end of the retention period; "
                                "there is nothing left to correct")
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    if not changed:
        raise PolicyGuardFailed("Nothing was changed: the details entered are the ones already recorded")
    for name in changed:
        setattr(person, name, changes[name])
    person.save(update_fields=changed)
    words = ", ".join(RECTIFIABLE[name] for name in changed)
    for case in person.complaints.order_by("pk"):
        save_case(locked_case(case), by=by, reason=f"{words} corrected ({reason.strip()})", event="rectified")
    return Rectification.objects.create(complainant=person, fields=changed, reason=reason.strip(), by=by,
                                        at=at or timezone.now())
