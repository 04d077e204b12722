"""Forms of the pages that follow a case: ask for a link, add information, escalate, withdraw."""

from __future__ import annotations

from django import forms

from complaints.public.fields import PublicForm
from complaints.public.forms_journey import TEXT_LIMIT, _text
from complaints.public.uploads import check_upload


class LinkRequestForm(PublicForm):
    reference = forms.CharField(label="Complaint reference", max_length=30,
                                help_text="This is in the email we sent you, for example BAR-2026-00042",
                                error_messages={"required": "Enter your complaint reference"})
    email = forms.EmailField(label="Email address", max_length=254,
                             help_text="The email address you gave us with your complaint",
                             error_messages={"required": "Enter your email address",
                                             "invalid": "Enter an email address in the correct format, like "
                                                        "name@example.com"})


class AddInformationForm(PublicForm):
    heading = "text"
    text = _text("What would you like to tell us?", "Enter the information you want to add",
                 name="Your information", rows=8)
    attachment = forms.FileField(label="Upload a file (optional)", required=False,
                                 help_text="A PDF, JPG, PNG, TXT or Word document, smaller than 20MB.",
                                   error_messages={"empty": "The selected file is empty",
                                                   "invalid": "The selected file could not be read"})

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            # The type the file's name and first bytes show, not the one the browser declared.
            upload.content_type = check_upload(upload)
        return upload


class EscalateForm(PublicForm):
    reason = _text("Why are you unhappy with our response?", "Tell us why you are unhappy with our response",
                   name="Your reason", rows=8,
                   hint="Tell us which parts of our response you disagree with and what you would like us to do.")


class WithdrawForm(PublicForm):
    confirm = forms.BooleanField(label="I want to withdraw my complaint",
                                 error_messages={"required": "Confirm that you want to withdraw your complaint"})
    reason = forms.CharField(label="Tell us why (optional)", required=False, max_length=TEXT_LIMIT,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"max_length": f"Your reason must be {TEXT_LIMIT:,} characters or fewer"})
