"""The case list's filter and search form (GET)."""

from django import forms

from complaints.models import ServiceArea, State
from complaints.staff.access import council_staff, display_name
from complaints.staff.forms import EXAMPLE_DATE, FIRST_DAY, LAST_DAY
from config.date_fields import GovukDateField
from config.forms import GovukForm
from policies.selectors import NoPolicyInForce, policy_version_in_force

STAGE_WORDS = {"informal": "Informal", "stage1": "Stage 1", "stage2": "Stage 2", "panel": "Panel"}


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


def received_field(label: str) -> GovukDateField:
    """A day typed as day, month and year; any day the working-day calendar knows."""
    return GovukDateField(label=label, required=False, name=label.lower(), allow_future=True,
                          earliest=FIRST_DAY, latest=LAST_DAY, help_text=f"For example, {EXAMPLE_DATE}")


class CaseFilterForm(GovukForm):
    q = forms.CharField(label="Reference or complainant name", required=False, max_length=200)
    stage = forms.ChoiceField(label="Stage", required=False)
    state = forms.ChoiceField(label="State", required=False, choices=[("", "Any open case"), *State.choices])
    service_area = forms.ModelChoiceField(label="Service area", required=False, queryset=ServiceArea.objects.none(),
                                          empty_label="Any")
    officer = OfficerChoice(label="Officer", required=False, queryset=None, empty_label="Anyone")
    due_within = forms.IntegerField(label="Due in the next N working days", required=False, min_value=0,
                                    max_value=250, error_messages={
                                        "invalid": "Enter a whole number of working days, like 5",
                                        "min_value": "Enter 0 or more working days",
                                        "max_value": "Enter 250 working days or fewer"})
    overdue = forms.BooleanField(label="Overdue only", required=False)
    received_from = received_field("Received on or after")
    received_to = received_field("Received on or before")

    def __init__(self, *args, member, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_area"].queryset = ServiceArea.objects.filter(council=member.council)
        self.fields["officer"].queryset = council_staff(member)
        try:
            policy = policy_version_in_force(council=member.council, on=today).policy
            stages = [(s.key, s.name) for s in policy.stages]
        except NoPolicyInForce:
            stages = list(STAGE_WORDS.items())
        self.fields["stage"].choices = [("", "Any"), *stages]

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "Received on or before must be the same as or after received on or after")
        return data

    def filters(self) -> dict:
        """The valid filters only: a mistyped field is reported and ignored, the rest still apply."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items()
                if value is not None and value != "" and value is not False}
