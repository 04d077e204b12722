"""Councils and the policy versions loaded for them.

A policy version is a frozen snapshot of a policy file's validated content.
Cases point at the version they were received under, so editing a file and
loading it as a new version changes new cases only.
"""

from django.db import models


class Council(models.Model):
    """One body on this deployment (a council or housing provider), one per policy file."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100)
    reference_prefix = models.CharField(max_length=5, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PolicyVersion(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="policy_versions")
    version_id = models.CharField(max_length=50)
    effective_from = models.DateField()
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    source_file = models.CharField(max_length=300)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council__slug", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["council", "version_id"], name="policy_version_unique_per_council"),
            models.UniqueConstraint(fields=["council", "effective_from"], name="policy_effective_date_unique_per_council"),
        ]
        indexes = [models.Index(fields=["council", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.council.slug} {self.version_id} (from {self.effective_from})"

    @property
    def policy(self):
        from policies.loader import policy_from_content

        cached = getattr(self, "_policy", None)
        if cached is None:
            cached = self._policy = policy_from_content(self.content)
        return cached
