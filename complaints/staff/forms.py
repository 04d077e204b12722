"""The action forms: each carries the case version it was opened at (passed on as expected_version).

Forms only parse what the officer typed; the policy checks are the services'.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from complaints.models import Complaint, Correspondence, LinkKind
from complaints.staff.access import council_staff, display_name, visible_complaints
from config.date_fields import GovukDateField
from config.forms import GovukForm
from deadlines.calendar import FIRST_YEAR, LAST_YEAR, LONDON, london_date

FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
EXAMPLE_DATE = "27 3 2026"


def date_field(label: str, *, required: bool = True, help_text: str = "", future: bool = False,
               default_today: bool = False, name: str = "") -> GovukDateField:
    """The GOV.UK date input (day, month, year) for a date an officer types.

    Past dates only unless ``future``; always inside the years the working-day
    calendar knows. ``name`` is how messages call the date (default: "the" and the label).
    """
    return GovukDateField(
        label=label, required=required, name=name or date_name(label), allow_future=future,
        earliest=FIRST_DAY, latest=LAST_DAY, today=today, initial=today if default_today else None,
        help_text=help_text or f"For example, {EXAMPLE_DATE}")


def date_name(label: str) -> str:
    """``Date the complainant asked`` -> ``the date the complainant asked``."""
    return f"the {label[0].lower()}{label[1:]}"


def text_field(label: str, *, required: bool = True, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": f"Enter the {label.lower()}"})


def today() -> dt.date:
    return london_date(timezone.now())


def instant_on(day: dt.date) -> dt.datetime:
    """When an event recorded for ``day`` happened: now if today, else the end of that London day."""
    if day == today():
        return timezone.now()
    return dt.datetime.combine(day, dt.time(23, 59), LONDON)


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class RadioWithHints(forms.RadioSelect):
    """GOV.UK radios with a hint under each option."""

    template_name = "staff/widgets/radio_hints.html"

    def __init__(self, *args, hints: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option


class CaseForm(GovukForm):
    """Base of every action form: the hidden version, and the case and member it acts on."""

    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": "This page was incomplete: go back to the case and try again",
        "invalid": "This page was incomplete: go back to the case and try again"})
    fieldsets: tuple = ()

    def __init__(self, *args, case: Complaint, member, **kwargs):
        self.case, self.member = case, member
        kwargs.setdefault("initial", {}).setdefault("version", case.version)
        super().__init__(*args, **kwargs)


class TriageForm(CaseForm):
    route = forms.ChoiceField(label="What is it?", widget=RadioWithHints,
                              error_messages={"required": "Select what the contact is"})
    reason = text_field("Reason", required=False, help_text=(
        "Optional. For an anonymous complaint that the policy logs as a service request, "
        "give the wider concern that justifies a formal complaint."))

    def __init__(self, *args, routes: list[tuple[str, str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [(key, label) for key, label, _ in routes]
        self.fields["route"].widget.hints = {key: hint for key, _, hint in routes}


class RefuseForm(CaseForm):
    exclusion = forms.ChoiceField(label="Why can the complaint not be considered?", widget=RadioWithHints,
                                  error_messages={"required": "Select why the complaint cannot be considered"})
    reason = text_field("Details of the reason", required=False, help_text="Required if you chose another reason.")
    signposting = text_field("Signposting", required=False, help_text=(
        "Where the complainant can go instead. Leave blank to use the signposting shown for the reason chosen."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.exclusions = {e.key: e for e in self.case.policy.exclusions}
        self.fields["exclusion"].choices = [(e.key, e.title) for e in self.exclusions.values()] + [
            ("other", "Another reason")]
        self.fields["exclusion"].widget.hints = {key: f"Signposting: {e.signposting} (policy {e.source})"
                                                 for key, e in self.exclusions.items()}

    def reason_and_signposting(self) -> tuple[str, str]:
        data = self.cleaned_data
        details, signposting = data["reason"].strip(), data["signposting"].strip()
        exclusion = self.exclusions.get(data["exclusion"])
        if exclusion is None:
            return details, signposting
        reason = f"{exclusion.title} (policy {exclusion.source})" + (f": {details}" if details else "")
        return reason, signposting or exclusion.signposting


class DatedForm(CaseForm):
    """An event on a day (today by default)."""

    on = date_field("Date", default_today=True)

    def __init__(self, *args, date_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if date_label:
            self.fields["on"].label = date_label
            self.fields["on"].date_name = date_name(date_label)


class ReasonForm(CaseForm):
    reason = text_field("Reason")


class OptionalReasonForm(CaseForm):
    reason = text_field("Reason", required=False, help_text="Optional.")


class AssignForm(CaseForm):
    officer = OfficerChoice(label="Officer", queryset=None, empty_label="Select an officer",
                            error_messages={"required": "Select the officer to assign"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = council_staff(self.member, exclude_barred_from=self.case)


class NoteForm(CaseForm):
    text = text_field("Note", rows=6)


class CorrespondenceForm(CaseForm):
    direction = forms.ChoiceField(label="Direction", choices=Correspondence.DIRECTIONS, widget=forms.RadioSelect,
                                  error_messages={"required": "Select whether it came in or went out"})
    kind = forms.ChoiceField(label="Type", choices=Correspondence.KINDS, widget=forms.RadioSelect,
                             error_messages={"required": "Select the type of correspondence"})
    subject = forms.CharField(label="Subject", max_length=300, error_messages={"required": "Enter the subject"})
    body = text_field("Content or summary", required=False, help_text="Optional.")
    on = date_field("Date it was sent or received", default_today=True)
    attachment = forms.FileField(label="Attachment", required=False,
                                 help_text="Optional. PDF, JPEG, PNG, text or Word document, up to 20 MB.")


class ExtendForm(CaseForm):
    new_date = date_field("New response date", future=True)
    reason = text_field("Reason for the extension", help_text="The complainant is told this reason.")
    told_on = date_field("Date the complainant was told", default_today=True)
    complainant_agreed = forms.BooleanField(
        label="The complainant agreed to this date", required=False,
        help_text="Needed to go past the latest date the policy allows without agreement, where it allows that.")


class ConsentForm(CaseForm):
    received_on = date_field("Date consent was received")
    evidence = text_field("Evidence", help_text="For example: signed consent form received by post.", rows=3)


class EscalateForm(CaseForm):
    requested_on = date_field("Date the complainant asked")
    reviewer = OfficerChoice(label="Reviewer", queryset=None, required=False, empty_label="Not yet chosen",
                             help_text="Must not be anyone who handled the earlier stage.")
    discretion_reason = text_field(
        "Reason for accepting a late request", required=False,
        help_text="Only if the request is after the last day to ask: why it is accepted anyway.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = council_staff(self.member, exclude_barred_from=self.case)


class MeetingForm(CaseForm):
    meeting_on = date_field("Date of the panel meeting")


class TransferForm(CaseForm):
    to_council = forms.ModelChoiceField(label="Transfer to", queryset=None, empty_label="Select a body",
                                        error_messages={"required": "Select the body to transfer to"})
    reason = text_field("Reason")

    def __init__(self, *args, **kwargs):
        from policies.models import Council

        super().__init__(*args, **kwargs)
        self.fields["to_council"].queryset = Council.objects.exclude(pk=self.case.council_id).order_by("name")


class LinkForm(CaseForm):
    reference = forms.CharField(label="Reference of the other case", max_length=30,
                                error_messages={"required": "Enter the reference of the case to link"})
    kind = forms.ChoiceField(label="How are they linked?", widget=forms.RadioSelect,
                             choices=[(LinkKind.JOINT, LinkKind.JOINT.label),
                                      (LinkKind.MULTI_SERVICE, LinkKind.MULTI_SERVICE.label)],
                             error_messages={"required": "Select how the cases are linked"})

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        other = visible_complaints(self.member).filter(reference=reference).first()
        if other is None:
            raise forms.ValidationError(f"There is no case {reference} in {self.case.council.short_name}")
        self.other = other
        return reference


class ConflictForm(CaseForm):
    user = OfficerChoice(label="Officer with the conflict", queryset=None, empty_label="Select an officer",
                         error_messages={"required": "Select the officer with the conflict of interest"})
    reason = text_field("What is the conflict?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = council_staff(self.member, exclude_barred_from=self.case)


class AdjustmentsForm(CaseForm):
    adjustments = text_field("Reasonable adjustments", required=False,
                             help_text="What the complainant needs from us. Leave blank if none.")
    contact_preference = forms.ChoiceField(label="How they want to be contacted", widget=forms.RadioSelect,
                                           choices=[("email", "Email"), ("phone", "Phone"), ("letter", "Letter")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.case.complainant
        self.fields["adjustments"].initial = person.reasonable_adjustments
        self.fields["contact_preference"].initial = person.contact_preference
