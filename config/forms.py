"""GOV.UK Design System forms with Django's own form rendering.

``GovukFormRenderer`` renders every field through ``templates/forms/govuk_field.html``
(label, hint, error message, widget) and the widget templates under
``templates/django/forms/widgets/`` produce GOV.UK radios and checkboxes.
``GovukForm`` adds the GOV.UK classes to widgets, so a form only declares fields.
Dates are ``config.date_fields.GovukDateField`` (the three-box date input).
"""

from django import forms
from django.forms.renderers import TemplatesSetting

from config.date_fields import error_anchor, mark_date_errors

WIDGET_CLASSES = {
    "text": "govuk-input", "email": "govuk-input", "number": "govuk-input govuk-input--width-10",
    "tel": "govuk-input govuk-input--width-20", "url": "govuk-input", "password": "govuk-input",
    "date": "govuk-input govuk-input--width-10", "textarea": "govuk-textarea", "select": "govuk-select",
    "clearablefile": "govuk-file-upload", "file": "govuk-file-upload",
}


class GovukFormRenderer(TemplatesSetting):
    field_template_name = "forms/govuk_field.html"
    form_template_name = "forms/govuk_form.html"


class GovukFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget_type = type(field.widget).__name__.lower().replace("input", "").replace("widget", "")
            css = WIDGET_CLASSES.get(widget_type) or WIDGET_CLASSES.get(getattr(field.widget, "input_type", ""))
            if css:
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{css} {existing}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                for base in ("govuk-input", "govuk-textarea", "govuk-select", "govuk-file-upload"):
                    if base in css.split() and f"{base}--error" not in css:
                        widget.attrs["class"] = f"{css} {base}--error"
        mark_date_errors(self)

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary: radios, checkboxes and dates link to their first input."""
        links = [("main-content", str(error)) for error in self.non_field_errors()]
        for bound in self:
            links.extend((error_anchor(bound), str(error)) for error in bound.errors)
        return links


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
