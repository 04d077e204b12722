"""Demo logins for the run command: one per role per council, fresh passwords each start.

Passwords are random and printed, never stored in the repository; running it
again resets them, so the printed list is always the one that works.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from complaints.models import StaffMember, StaffRole
from policies.models import Council

ROLE_SUFFIX = {
    StaffRole.COMPLAINTS_OFFICER: "officer",
    StaffRole.INVESTIGATING_OFFICER: "investigator",
    StaffRole.COMPLAINTS_MANAGER: "manager",
    StaffRole.COUNCIL_ADMIN: "admin",
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    council: str
    role: str


@transaction.atomic
def demo_logins_reset() -> list[DemoLogin]:
    user_model = get_user_model()
    logins: list[DemoLogin] = []
    for council in Council.objects.order_by("slug"):
        for role, suffix in ROLE_SUFFIX.items():
            username = f"{council.slug}-{suffix}"
            password = secrets.token_urlsafe(12)
            user, _ = user_model.objects.get_or_create(
                username=username,
                defaults={"first_name": suffix.title(), "last_name": council.short_name,
                          "email": f"{username}@example.invalid"},
            )
            user.is_staff = role == StaffRole.COUNCIL_ADMIN
            user.set_password(password)
            user.save()
            StaffMember.objects.update_or_create(user=user, defaults={"council": council, "role": role})
            logins.append(DemoLogin(username, password, council.slug, StaffRole(role).label))
    password = secrets.token_urlsafe(12)
    admin, _ = user_model.objects.get_or_create(username="sysadmin", defaults={"email": "sysadmin@example.invalid"})
    admin.is_staff = admin.is_superuser = True
    admin.set_password(password)
    admin.save()
    logins.append(DemoLogin("sysadmin", password, "(all)", "System administrator"))
    return logins
