"""Cursor pagination: stable pages however many cases arrive while an integration reads."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 200


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise serializers.ValidationError({"page_size": [f"A whole number from 1 to {MAX_PAGE_SIZE}."]})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (NotFound, ValueError, TypeError, DjangoValidationError):
            # A cursor that is not one we issued (or was edited): bad input, not a missing page.
            raise serializers.ValidationError({"cursor": ["Invalid cursor."]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
        return parameters


class ComplaintPagination(ApiCursorPagination):
    ordering = "-sequence"  # newest reference first; unique within a council


class DeadlinePagination(ApiCursorPagination):
    ordering = ("due_date", "id")


class NewestFirstPagination(ApiCursorPagination):
    ordering = "-id"


def paginated(view, request, queryset, serializer_class):
    """One page of ``queryset`` (the view's pagination_class) as a DRF response."""
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
