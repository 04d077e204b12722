"""The stage response form: outcome, findings, remedy, learning and up to three actions."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from complaints.models import Outcome
from complaints.services.stage_work import ResponseDetails
from complaints.staff.access import council_staff
from complaints.staff.forms import CaseForm, OfficerChoice, date_field, text_field

ACTION_SLOTS = (1, 2, 3)


def money_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=10, decimal_places=2, initial=Decimal(0),
        help_text="In pounds, for example 150.00.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={"invalid": f"Enter {label.lower()} as an amount in pounds, like 150.00",
                        "min_value": f"{label} cannot be negative",
                        "max_decimal_places": f"Enter {label.lower()} to the nearest penny"})


class ResponseForm(CaseForm):
    on = date_field("Date the response was sent", default_today=True)
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Select the outcome"})
    findings = text_field("Findings", rows=6)
    remedy_apology = forms.BooleanField(label="We apologised", required=False)
    remedy_explanation = forms.BooleanField(label="We explained what happened", required=False)
    remedy_action = text_field("Action taken to put things right", required=False, help_text="Optional.")
    compensation_amount = money_field("Compensation")
    compensation_offset_against_arrears = money_field("Compensation offset against arrears")
    learning_points = text_field("Learning points", required=False,
                                 help_text="What the service will do differently. Optional.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owners = council_staff(self.member)
        for n in ACTION_SLOTS:
            self.fields[f"action_{n}_owner"].queryset = owners
        self.fieldsets = (
            ("Response", ["on", "outcome", "findings"]),
            ("Remedy", ["remedy_apology", "remedy_explanation", "remedy_action", "compensation_amount",
                        "compensation_offset_against_arrears"]),
            ("Learning", ["learning_points"]),
            *((f"Action {n} (optional)", [f"action_{n}_description", f"action_{n}_owner", f"action_{n}_due"])
              for n in ACTION_SLOTS),
        )

    def clean(self):
        data = super().clean()
        for n in ACTION_SLOTS:
            names = {"description": f"action_{n}_description", "owner": f"action_{n}_owner", "due": f"action_{n}_due"}
            given = {part: data.get(name) for part, name in names.items()}
            if any(given.values()) and not all(given.values()):
                words = {"description": "what will be done", "owner": "the owner", "due": "the due date"}
                for part, value in given.items():
                    if not value and names[part] not in self.errors:
                        self.add_error(names[part], f"Action {n}: enter {words[part]}, or leave the whole action blank")
        return data

    def details(self) -> ResponseDetails:
        data = self.cleaned_data
        actions = [(data[f"action_{n}_description"], data[f"action_{n}_owner"], data[f"action_{n}_due"])
                   for n in ACTION_SLOTS if data.get(f"action_{n}_description")]
        return ResponseDetails(
            outcome=data["outcome"], findings=data["findings"], remedy_apology=data["remedy_apology"],
            remedy_explanation=data["remedy_explanation"], remedy_action=data["remedy_action"],
            compensation_amount=data["compensation_amount"] or Decimal(0),
            compensation_offset_against_arrears=data["compensation_offset_against_arrears"] or Decimal(0),
            learning_points=data["learning_points"], actions=actions)


for _n in ACTION_SLOTS:
    ResponseForm.base_fields[f"action_{_n}_description"] = forms.CharField(
        label=f"Action {_n}: what will be done", required=False, max_length=1000)
    ResponseForm.base_fields[f"action_{_n}_owner"] = OfficerChoice(
        label=f"Action {_n}: owner", queryset=None, required=False, empty_label="Select an owner")
    ResponseForm.base_fields[f"action_{_n}_due"] = date_field(f"Action {_n}: due date", required=False, future=True,
                                                              name=f"the due date of action {_n}")
