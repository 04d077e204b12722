"""Council administrators in the Django admin: what they may do, always within their own council.

A council administrator is an active user with ``is_staff`` whose StaffMember
role is ``council_admin`` (complaints.services.demo makes one per council).
They hold no Django model permissions and belong to no Group: each admin class
that opens to them says which of view, add, change and delete they may do
(``council_admin_may``), and its ``has_*_permission`` methods ask for the role
directly. Everyone else is judged by Django's own permissions as usual, so a
system administrator (superuser) sees and does everything, unscoped.

Scoping: any signed-in non-superuser who works for a council sees only rows
of that council (``get_queryset``, which the admin also uses to find the
object of a change page, so another council's object is "does not exist"),
a council field offers only their council (``formfield_for_foreignkey``) and
is set to it on save (``save_model``), whatever was posted.
"""

from __future__ import annotations

from django.contrib import admin

from complaints.models import StaffMember, StaffRole
from policies.models import Council

ACTIONS = frozenset({"view", "add", "change", "delete"})
_UNSET = object()


def admin_member(request) -> StaffMember | None:
    """The StaffMember of a signed-in user who is not a superuser (None otherwise); cached on the request."""
    cached = getattr(request, "_admin_member", _UNSET)
    if cached is not _UNSET:
        return cached
    user = request.user
    member = None
    if user.is_authenticated and user.is_active and not user.is_superuser:
        member = StaffMember.objects.select_related("council").filter(user=user).first()
    request._admin_member = member
    return member


def council_admin(request) -> StaffMember | None:
    """The member if the user is a council administrator who may use the admin (is_staff); else None."""
    member = admin_member(request)
    if member is None or member.role != StaffRole.COUNCIL_ADMIN or not request.user.is_staff:
        return None
    return member


def council_of(obj, lookup: str) -> int | None:
    """The council id of ``obj`` along ``lookup`` ("pk", "council", "complaint__council")."""
    *path, last = lookup.split("__")
    for name in path:
        obj = getattr(obj, name)
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id")


class CouncilScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin scoped to the user's council, open to council administrators for ``council_admin_may``."""

    council_lookup = "council"  # from the model to its council: "pk" for Council itself
    council_admin_may: frozenset[str] = frozenset()

    # --- permissions ---------------------------------------------------------------
    def _council_admin_may(self, request, action: str, obj=None) -> bool | None:
        """True/False for a council administrator; None for anyone else (Django's permissions decide)."""
        member = council_admin(request)
        if member is None:
            return None
        if action not in self.council_admin_may:
            return False
        return obj is None or obj.pk is None or council_of(obj, self.council_lookup) == member.council_id

    def has_module_permission(self, request):
        allowed = self._council_admin_may(request, "view")
        if allowed is None:
            return super().has_module_permission(request)
        return bool(self.council_admin_may)

    def has_view_permission(self, request, obj=None):
        allowed = self._council_admin_may(request, "view", obj)
        if allowed is None:
            return super().has_view_permission(request, obj)
        return allowed or bool(self._council_admin_may(request, "change", obj))

    def has_add_permission(self, request):
        allowed = self._council_admin_may(request, "add")
        return super().has_add_permission(request) if allowed is None else allowed

    def has_change_permission(self, request, obj=None):
        allowed = self._council_admin_may(request, "change", obj)
        return super().has_change_permission(request, obj) if allowed is None else allowed

    def has_delete_permission(self, request, obj=None):
        allowed = self._council_admin_may(request, "delete", obj)
        return super().has_delete_permission(request, obj) if allowed is None else allowed

    # --- scope -------------------------------------------------------------------
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        member = admin_member(request)
        if member is not None:
            queryset = queryset.filter(**{self.council_lookup: member.council_id})
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        member = admin_member(request)
        if member is not None and db_field.related_model is Council:
            kwargs["queryset"] = Council.objects.filter(pk=member.council_id)
            kwargs["initial"] = member.council_id
            kwargs["empty_label"] = None
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        member = admin_member(request)
        if member is not None and self.council_lookup == "council":
            initial.setdefault("council", member.council_id)
        return initial

    def save_model(self, request, obj, form, change):
        member = admin_member(request)
        if member is not None and self.council_lookup == "council":
            obj.council_id = member.council_id
        super().save_model(request, obj, form, change)

    def get_list_display(self, request):
        """No council column for someone who only ever sees one."""
        columns = super().get_list_display(request)
        if admin_member(request) is None:
            return columns
        return [c for c in columns if c != "council"] or columns

    def get_list_filter(self, request):
        """No filter by council for someone who only ever sees one."""
        filters = super().get_list_filter(request)
        if admin_member(request) is None:
            return filters
        return [f for f in filters if not (isinstance(f, str) and (f == "council" or f.endswith("__council")))]
