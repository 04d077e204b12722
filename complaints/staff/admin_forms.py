"""The admin form for a council's staff: the person (a user account) and their place in the council, together.

A council administrator creates and edits their council's users here: name,
username, email, whether the account is active, the role, and optionally a
password (left blank on a new account, the person sets one with "Forgotten
your password?"). ``is_staff`` (entry to this admin) follows the role: given
with council administrator, taken away when someone stops being one; it is
never taken from a superuser. Nobody changes their own role or deactivates
their own account here, so an administrator cannot lock themselves out.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation

from complaints.models import StaffMember, StaffRole

User = get_user_model()


def _user_field(name: str, **kwargs) -> forms.Field:
    return User._meta.get_field(name).formfield(**kwargs)


class StaffMemberForm(forms.ModelForm):
    username = _user_field("username")
    first_name = _user_field("first_name", required=True)
    last_name = _user_field("last_name", required=True)
    email = _user_field("email", required=True)
    is_active = forms.BooleanField(
        label="Active", required=False, initial=True,
        help_text="Untick to stop them signing in. Their name stays on the cases they worked.")
    password1 = forms.CharField(
        label="Password", required=False, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Optional. Leave blank and they can set their own with “Forgotten your password?”; "
                  "on an existing account, blank keeps the current password.")
    password2 = forms.CharField(label="Password again", required=False, strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    acting_user = None  # set by the admin: who is filling the form in

    class Meta:
        model = StaffMember
        fields = ["council", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = self.instance.user if self.instance.user_id else None
        if self.user is None:
            del self.fields["is_active"]  # a new account is active
        else:
            for name in ("username", "first_name", "last_name", "email", "is_active"):
                self.initial.setdefault(name, getattr(self.user, name))

    def clean_username(self):
        username = User.normalize_username(self.cleaned_data["username"])
        others = User.objects.filter(username__iexact=username)
        if self.user is not None:
            others = others.exclude(pk=self.user.pk)
        if others.exists():
            raise forms.ValidationError("That username is taken: choose another")
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first or second:
            if first != second:
                self.add_error("password2", "The two passwords do not match")
            else:
                person = User(username=data.get("username", ""), first_name=data.get("first_name", ""),
                              last_name=data.get("last_name", ""), email=data.get("email", ""))
                try:
                    password_validation.validate_password(first, person)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        acting = self.acting_user
        if self.user is not None and acting is not None and self.user.pk == acting.pk:
            if "role" in data and data["role"] != self.instance_role_before():
                self.add_error("role", "You cannot change your own role: ask another administrator")
            if "is_active" in self.fields and not data.get("is_active", True):
                self.add_error("is_active", "You cannot deactivate your own account: ask another administrator")
        return data

    def instance_role_before(self) -> str | None:
        if not self.instance.pk:
            return None
        return StaffMember.objects.filter(pk=self.instance.pk).values_list("role", flat=True).first()

    def save_user(self):
        """Create or update the user account from the form (the caller saves the StaffMember after it)."""
        data = self.cleaned_data
        user = self.user or User()
        was_admin = self.instance_role_before() == StaffRole.COUNCIL_ADMIN
        for name in ("username", "first_name", "last_name", "email"):
            setattr(user, name, data[name])
        if "is_active" in self.fields:
            user.is_active = data["is_active"]
        if data["role"] == StaffRole.COUNCIL_ADMIN:
            user.is_staff = True
        elif was_admin and not user.is_superuser:
            user.is_staff = False
        if data.get("password1"):
            user.set_password(data["password1"])
        elif user.pk is None:
            user.set_unusable_password()
        user.save()
        self.user = user
        return user
