"""Records the case screens keep beside the case: conflicts of interest and the view audit."""

from django.conf import settings
from django.db import models

from complaints.models import Complaint


class ConflictOfInterest(models.Model):
    """An officer barred from a case (LBBD section 9): the case is hidden from them everywhere."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="conflicts_of_interest")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts_of_interest")
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "user"], name="conflict_of_interest_unique")]

    def __str__(self) -> str:
        return f"{self.user} barred from {self.complaint}"


class CaseAccess(models.TextChoices):
    VIEWED = "viewed", "Viewed the case"
    API_READ = "api_read", "Read the case through the API"
    EXPORTED = "exported", "Exported in a download"
    DOWNLOADED = "downloaded", "Downloaded a file"


class CaseView(models.Model):
    """Someone saw a case's data: opened it, read it through the API, exported it or downloaded a file of it.

    The access audit of LBBD's policy section 9, searchable by a council administrator in the admin.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_views")
    viewed_at = models.DateTimeField(auto_now_add=True, verbose_name="when")
    action = models.CharField(max_length=20, choices=CaseAccess.choices, default=CaseAccess.VIEWED)
    detail = models.CharField(max_length=300, blank=True,
                              help_text="What was exported or downloaded (file name), or the API client.")

    class Meta:
        verbose_name = "case access record"
        verbose_name_plural = "case access audit"
        indexes = [models.Index(fields=["complaint", "viewed_at"]), models.Index(fields=["user", "viewed_at"]),
                   models.Index(fields=["viewed_at"], name="case_access_when")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display().lower()} {self.complaint} at {self.viewed_at:%Y-%m-%d %H:%M}"


class LetterTemplate(models.Model):
    """Not a table: stands for the letter template files in the admin, which lists them read-only.

    The files are templates/letters/<slug>/ and templates/letters/default/
    (complaints.staff.letter_files); the admin's views for this model read the
    files and never query a table.
    """

    class Meta:
        managed = False
        db_table = "staff_letter_template_files"
        default_permissions = ("view",)
        verbose_name = "letter template"
        verbose_name_plural = "letter templates"
