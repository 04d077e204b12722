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
        """The validated policy, shared by the whole process (``policies.snapshots``); a row fetched
        without its content (``defer("content")``) reads it only the first time the process meets it."""
        from policies.loader import policy_from_content
        from policies.snapshots import policy_of_version

        if self.pk is None:  # not stored: nothing to share it by
            return policy_from_content(self.content)
        loaded = "content" not in self.get_deferred_fields()
        return policy_of_version(self.pk, self.sha256, self.content if loaded else None)
