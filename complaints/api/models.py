"""Integration tokens: one per integration, scoped to one council, revocable.

Only a SHA-256 hash of the key is stored; the key itself is shown once, by
``manage.py create_api_token``. A request with a token acts as the council's
system user ``api:<council-slug>`` (see ``complaints.api.authentication``).
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone

from policies.models import Council

KEY_PREFIX = "cms_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class IntegrationToken(models.Model):
    name = models.CharField(max_length=100, help_text="Which integration uses it, e.g. 'housing-crm'.")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="integration_tokens")
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key; the key is never stored.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], condition=models.Q(revoked_at__isnull=True),
                                    name="one_live_token_per_integration"),
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "live"
        return f"{self.name} ({self.council.slug}, {state})"

    @classmethod
    def issue(cls, *, council: Council, name: str) -> tuple[IntegrationToken, str]:
        """A new token and its key (the only time the key exists outside the caller)."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(council=council, name=name, key_hash=hash_key(key))
        return token, key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
