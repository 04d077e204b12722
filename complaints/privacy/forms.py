"""Forms of the data-protection pages: they parse input; the services decide."""

from django import forms

from complaints.models import Complainant
from complaints.privacy.subject_access import MIN_SEARCH, complainants_for
from config.forms import GovukForm


class SubjectSearchForm(GovukForm):
    q = forms.CharField(
        label="Email address or part of the name", max_length=200, min_length=MIN_SEARCH,
        help_text="An email address must match exactly. Posted, never put in the address bar (or server logs).",
        error_messages={"required": "Enter an email address or a name to search for",
                        "min_length": f"Enter at least {MIN_SEARCH} characters"})


class ComplainantChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        cases = ", ".join(c.reference for c in obj.complaints.all()) or "no cases"
        return f"{obj.name or 'No name'}, {obj.email or 'no email'} ({cases})"


class SubjectExportForm(GovukForm):
    complainants = ComplainantChoice(
        label="Records that are the person asking", queryset=Complainant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the records that are the person asking",
                        "invalid_choice": "Select records from the list",
                        "invalid_pk_value": "Select records from the list"})

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complainants"].queryset = (complainants_for(member).prefetch_related("complaints")
                                                .order_by("name", "pk"))


class RectifyForm(GovukForm):
    name = forms.CharField(label="Full name", max_length=200, required=False)
    email = forms.EmailField(label="Email address", max_length=254, required=False,
                             error_messages={"invalid": "Enter an email address in the right format, "
                                                        "like name@example.com"})
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    address = forms.CharField(label="Postal address", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label="Why the details are being corrected", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="For example: the complainant told us by phone on 3 March that their "
                                       "email address had changed.",
                             error_messages={"required": "Enter why the details are being corrected"})
