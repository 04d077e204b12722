"""Who is calling: an integration token (``Authorization: Bearer <key>``) or a staff session.

A token request acts as the council's system user ``api:<council-slug>``: an
inactive user (it can never sign in, and is not offered for assignment) with a
complaints-officer StaffMember in the token's council. The lifecycle services
need a real user for what they record (who acknowledged, answered, granted an
extension, wrote a note), so history shows ``api:<slug>`` for every change an
integration makes. ``by=None`` is not used: several services require a user.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from complaints.api.models import IntegrationToken, hash_key
from complaints.models import StaffMember, StaffRole
from policies.models import Council


def integration_username(council: Council) -> str:
    return f"api:{council.slug}"


@transaction.atomic
def integration_user(council: Council):
    """The council's system user for integrations, created on first use."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=integration_username(council),
        defaults={"first_name": "API integration", "last_name": f"({council.short_name})", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    member, _ = StaffMember.objects.get_or_create(
        user=user, defaults={"council": council, "role": StaffRole.COMPLAINTS_OFFICER})
    if member.council_id != council.pk:  # a hand-made user of that name in another council: refuse
        raise exceptions.AuthenticationFailed("The integration user of this token belongs to another council")
    return user


class IntegrationTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # not ours: session authentication may still apply
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as 'Authorization: Bearer <key>'")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token") from None
        token = (IntegrationToken.objects.select_related("council")
                 .filter(key_hash=hash_key(key), revoked_at__isnull=True).first())
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token")
        user = integration_user(token.council)
        now = timezone.now()
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        return user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


@dataclass(frozen=True)
class Caller:
    council: Council
    user: object
    role: str
    token: IntegrationToken | None


def caller(request) -> Caller | None:
    """The council and user a request acts for; None for a signed-in user who works for no council."""
    cached = getattr(request, "_api_caller", None)
    if cached is not None:
        return cached
    if isinstance(request.auth, IntegrationToken):
        found = Caller(request.auth.council, request.user, StaffRole.COMPLAINTS_OFFICER, request.auth)
    else:
        member = StaffMember.objects.select_related("council").filter(user=request.user.pk).first()
        if member is None:
            return None
        found = Caller(member.council, request.user, member.role, None)
    request._api_caller = found
    return found
