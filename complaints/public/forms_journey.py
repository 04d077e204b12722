"""The questions of the complaint form, one form per page. Each takes the ``journey``
(council, policy, answers so far) so its wording and choices come from the policy."""

from __future__ import annotations

import re

from django import forms

from complaints.public import rules
from complaints.public.fields import GovukDateField, PublicForm
from complaints.public.uploads import MAX_FILES, check_upload

TEXT_LIMIT = 5000
PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")


def _text(label: str, required_error: str, hint: str = "", name: str = "", required: bool = True, rows: int = 8):
    limit_error = f"{name or label.rstrip('?')} must be {TEXT_LIMIT:,} characters or fewer"
    return forms.CharField(label=label, help_text=hint, required=required, max_length=TEXT_LIMIT,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": required_error, "max_length": limit_error})


def _radios(label: str, choices, required_error: str, hint: str = ""):
    return forms.ChoiceField(label=label, help_text=hint, choices=choices, widget=forms.RadioSelect,
                             error_messages={"required": required_error, "invalid_choice": required_error})


class JourneyForm(PublicForm):
    def __init__(self, *args, journey, **kwargs):
        self.journey = journey
        super().__init__(*args, **kwargs)


class KindForm(JourneyForm):
    heading = "kind"
    kind = _radios("What would you like to do?", [], "Select what you would like to do")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = rules.feedback_kinds(self.journey.policy)
        self.fields["kind"].choices = [(kind, rules.KIND_LABELS[kind]) for kind in kinds]
        self.fields["kind"].option_hints = {kind: rules.KIND_HINTS[kind] for kind in kinds}


class BeforeForm(JourneyForm):
    heading = "before"
    before = _radios(
        "Have you already contacted us about this?",
        [("asked", "Yes, I asked you to do something and I'm unhappy with how you dealt with it"),
         ("complained", "Yes, I've already made a complaint about this"),
         ("first_time", "No, this is the first time I'm telling you about it")],
        "Select whether you have already contacted us about this",
        hint="A complaint is when you're unhappy with something we did, or did not do. Asking us for something "
             "for the first time, like reporting a missed bin or a broken street light, is a request for a "
             "service, not a complaint.")


class ContinueForm(JourneyForm):
    """A page of guidance with only a Continue button."""


class WhatForm(JourneyForm):
    heading = "what_happened"
    what_happened = _text(
        "What happened?", "Enter what happened", name="What happened",
        hint="Tell us what went wrong, who was involved and any reference numbers you have. Do not include "
             "bank details.")


class FeedbackForm(JourneyForm):
    heading = "text"
    text = _text("Your feedback", "Enter your feedback", name="Your feedback")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        noun = rules.KIND_NOUNS[self.journey.kind]
        self.fields["text"].label = f"What is your {noun}?"
        self.fields["text"].error_messages["required"] = f"Enter your {noun}"
        self.fields["text"].error_messages["max_length"] = f"Your {noun} must be {TEXT_LIMIT:,} characters or fewer"


class WhenForm(JourneyForm):
    incident = GovukDateField(name="the date it happened", label="Date it happened",
                              help_text="If it happened more than once, give the most recent date. "
                                        "For example, 27 3 2026")
    aware = GovukDateField(name="the date you found out", label="Date you found out about it", required=False,
                           help_text="Leave this blank if you found out on the same day. For example, 28 3 2026")

    def clean(self):
        data = super().clean()
        incident, aware = data.get("incident"), data.get("aware")
        if incident and aware and aware < incident:
            self.add_error("aware", "The date you found out must be the same as or after the date it happened")
        return data


class LateForm(JourneyForm):
    reason = _text("Why did you not complain sooner?", "Tell us why you did not complain sooner",
                   name="Your reason", rows=5,
                   hint="For example, you were ill, or you did not know about the problem until later.")


class ServiceForm(JourneyForm):
    heading = "service"
    service = _radios("Which service is your complaint about?", [], "Select the service your complaint is about")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        field.choices = [(str(area.pk), area.name) for area in self.journey.service_areas] + [
            ("not_sure", "I'm not sure")]
        if not self.journey.is_complaint:
            field.label = "Which service is your feedback about?"
            field.error_messages["required"] = field.error_messages["invalid_choice"] = \
                "Select the service your feedback is about"


class OutcomeForm(JourneyForm):
    heading = "outcome"
    outcome = _text("What would you like us to do to put things right?", "Enter what you would like us to do",
                    name="What you would like us to do", rows=5,
                    hint="For example, an apology, a repair done by a date, or a decision looked at again.")


class WhoForm(JourneyForm):
    heading = "who"
    who = _radios("Who is the complaint for?",
                  [("myself", "Myself"), ("someone_else", "Someone else: I'm making it for them")],
                  "Select who the complaint is for")


class RoleForm(JourneyForm):
    heading = "role"
    role = _radios("How are you connected to the person you're complaining for?", [],
                   "Select how you are connected to them")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = rules.role_choices(self.journey.policy)


class RepresentativeForm(JourneyForm):
    person_name = forms.CharField(label="Their full name", max_length=200,
                                  error_messages={"required": "Enter the full name of the person you're complaining for"})
    your_name = forms.CharField(label="Your full name", max_length=200,
                                error_messages={"required": "Enter your full name"})
    relationship = forms.CharField(label="Your relationship to them (optional)", max_length=60, required=False,
                                   help_text="For example, daughter, or support worker",
                                   error_messages={"max_length": "Your relationship must be 60 characters or fewer"})


class ConsentForm(JourneyForm):
    declaration = forms.BooleanField(label="", error_messages={"required": ""})
    consent_file = forms.FileField(label="Upload their permission (optional)", required=False,
                                   help_text="A PDF, JPG, PNG, TXT or Word document, smaller than 20MB.",
                                   error_messages={"empty": "The selected file is empty",
                                                   "invalid": "The selected file could not be read"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.journey.person_name or "the person"
        words = rules.consent_words(self.journey.policy)
        field = self.fields["declaration"]
        field.label = f"I confirm that {person} has given me {words} to make this complaint for them"
        field.error_messages["required"] = f"Confirm that {person} has given you {words} to complain for them"
        if not rules.consent_needs_document(self.journey.policy):
            del self.fields["consent_file"]
        else:
            self.fields["consent_file"].label = f"Upload their {words} (optional)"

    def clean_consent_file(self):
        upload = self.cleaned_data.get("consent_file")
        if upload:
            self.consent_content_type = check_upload(upload)
        return upload


class SupportForm(JourneyForm):
    needs = _radios("Do you need any support or changes to help you with your complaint?",
                    [("yes", "Yes"), ("no", "No")], "Select yes if you need any support or changes",
                    hint="For example, letters in large print, an interpreter, or phone calls instead of letters.")
    details = _text("What support or changes do you need?", "", name="The support you need", required=False,
                    rows=4)

    def clean(self):
        data = super().clean()
        if data.get("needs") == "yes" and not (data.get("details") or "").strip():
            self.add_error("details", "Tell us what support or changes you need")
        if data.get("needs") == "no":
            data["details"] = ""
        return data


class AnonymousForm(JourneyForm):
    heading = "give_details"
    give_details = _radios("Do you want to give us your name and contact details?",
                           [("yes", "Yes"), ("no", "No, I want to stay anonymous")],
                           "Select yes if you want to give us your name and contact details")
    reason = _text("If you want to stay anonymous, tell us why", "", name="Your reason", required=False, rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["give_details"].help_text = rules.anonymous_message(self.journey.policy)
        if not rules.anonymous_needs_reason(self.journey.policy):
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        if "reason" in self.fields and data.get("give_details") == "no" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Tell us why you want to stay anonymous")
        return data


class ContactForm(JourneyForm):
    name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter your full name"})
    email = forms.EmailField(label="Email address", required=False, max_length=254,
                             help_text="We'll email you a private link to follow your complaint.",
                             error_messages={"invalid": "Enter an email address in the correct format, like "
                                                        "name@example.com"})
    phone = forms.CharField(label="Phone number", required=False, max_length=40)
    address = forms.CharField(label="Postal address", required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 4}))
    preference = _radios("How would you like us to contact you?",
                         [("email", "Email"), ("phone", "Phone"), ("letter", "Letter")],
                         "Select how you would like us to contact you")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["phone"].widget.input_type = "tel"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        if self.journey.for_someone_else:
            del self.fields["name"]

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return phone

    def clean(self):
        data = super().clean()
        needed = {"email": ("email", "Enter your email address, or choose another way to be contacted"),
                  "phone": ("phone", "Enter your phone number, or choose another way to be contacted"),
                  "letter": ("address", "Enter your postal address, or choose another way to be contacted")}
        preference = data.get("preference")
        if preference in needed:
            field, message = needed[preference]
            if field not in self.errors and not (data.get(field) or "").strip():
                self.add_error(field, message)
        return data


class FeedbackContactForm(JourneyForm):
    name = forms.CharField(label="Full name (optional)", max_length=200, required=False)
    email = forms.EmailField(label="Email address (optional)", required=False, max_length=254,
                             help_text="Only if you would like us to reply.",
                             error_messages={"invalid": "Enter an email address in the correct format, like "
                                                        "name@example.com"})


class EvidenceForm(JourneyForm):
    evidence = forms.FileField(label="Upload a file", required=False,
                               help_text="A PDF, JPG, PNG, TXT or Word document, smaller than 20MB.",
                                   error_messages={"empty": "The selected file is empty",
                                                   "invalid": "The selected file could not be read"})

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            if len(self.journey.files) >= MAX_FILES:
                raise forms.ValidationError(f"You can upload up to {MAX_FILES} files")
            self.evidence_content_type = check_upload(upload)
        return upload
