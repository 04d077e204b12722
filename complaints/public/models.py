"""What the public front door stores itself: private tracking links and submission keys.

Everything about the complaint lives in ``complaints.models``; these two tables
only make the resident's side safe: a link to follow a case that stores no
usable secret, and a key that makes sending the form twice create one record.
"""

from django.db import models


class TrackingToken(models.Model):
    """A private link to follow one complaint. Only the SHA-256 of the token is kept."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="tracking_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["complaint", "expires_at"])]

    def __str__(self) -> str:
        return f"tracking link for {self.complaint} until {self.expires_at:%Y-%m-%d}"


class Submission(models.Model):
    """One sending of the online form. The key comes from the resident's session, so a
    repeated or concurrent send of the same answers finds this row instead of making
    a second complaint (the unique constraint is the guarantee)."""

    KINDS = [("complaint", "Complaint"), ("feedback", "Compliment, comment or suggestion")]

    key = models.CharField(max_length=64)
    council = models.ForeignKey("policies.Council", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=KINDS)
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    feedback = models.ForeignKey("complaints.Feedback", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key"], name="public_submission_key_unique")]

    def __str__(self) -> str:
        return f"submission {self.key[:8]} ({self.kind})"
