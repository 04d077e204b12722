"""The rows of the check-your-answers page, from the steps that apply and their answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from complaints.public.fields import display_value
from complaints.public.forms_journey import ContinueForm
from complaints.public.journey import Journey
from complaints.public.uploads import size_words

# Shorter row keys than the questions, where the question would read oddly in a list.
KEYS = {
    ("when", "incident"): "Date it happened",
    ("when", "aware"): "Date you found out",
    ("support", "needs"): "Support or changes needed",
    ("support", "details"): "Support you need",
    ("anonymous", "give_details"): "Give your name and contact details",
    ("consent", "declaration"): "Their permission",
    ("contact", "preference"): "Contact by",
    ("evidence", "evidence"): "Evidence",
}


@dataclass(frozen=True)
class Row:
    key: str
    value: str
    change_url: str
    lines: tuple[str, ...] = ()


def _files(files: list[dict]) -> tuple[str, ...]:
    return tuple(f"{info['name']} ({size_words(info['size'])})" for info in files)


def rows(journey: Journey) -> list[Row]:
    out: list[Row] = []
    slug = journey.council.slug
    for step in journey.applicable():
        if step.form is ContinueForm:
            continue
        url = reverse("public:step", args=[slug, step.slug]) + "?change=1"
        form = step.form(journey=journey)
        answers = journey.answers.get(step.slug, {})
        for name, field in form.fields.items():
            key = KEYS.get((step.slug, name)) or str(field.label)
            if step.slug == "evidence":
                files = _files(journey.files)
                out.append(Row(key, "" if files else "None", url, files))
                continue
            if step.slug == "consent" and name == "consent_file":
                upload = answers.get("file")
                out.append(Row(key, "" if upload else "Not uploaded", url, _files([upload]) if upload else ()))
                continue
            value = display_value(field, answers.get(name))
            if name == "declaration":
                value = "Confirmed" if answers.get(name) else ""
            if step.slug == "support" and name == "details" and answers.get("needs") != "yes":
                continue
            if step.slug == "anonymous" and name == "reason" and answers.get("give_details") != "no":
                continue
            out.append(Row(key, value or "Not given", url, tuple(value.splitlines()) if "\n" in value else ()))
    return out
