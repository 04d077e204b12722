"""Strict serializer fields: accept exactly what the OpenAPI schema says, nothing DRF would coerce.

DRF turns 5 into "5", "1"/"yes" into True, "7.0" into 7 and accepts "2026-01-01 10:00"
for a date-time. The schema promises JSON types, so a request that breaks them is a 400.
Dates are also kept inside the years the working-day calendar covers, and instants
(when something happened) cannot be in the future.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deadlines.calendar import london_date

FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2090, 12, 31)
FUTURE_SKEW = dt.timedelta(minutes=5)
ID_MAX = 2**63 - 1
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|z|[+-]\d{2}:\d{2})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONEY = re.compile(r"^\d{1,8}(\.\d{1,2})?$")


class StrictCharField(serializers.CharField):
    """Text only; kept as sent (the services refuse text that is only spaces where it matters)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class QueryIntegerField(serializers.IntegerField):
    """An integer in a query string: ASCII digits only (no "1.0", "+1" or " 1")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not (data.isascii() and data.isdigit()):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDateField(serializers.DateField):
    """A YYYY-MM-DD date between 2000 and 2090; ``past`` refuses dates after today (London)."""

    def __init__(self, *, past: bool = False, **kwargs):
        self.past = past
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not ISO_DATE.match(data):
            self.fail("invalid", format="YYYY-MM-DD")
        value = super().to_internal_value(data)
        if not FIRST_DATE <= value <= LAST_DATE:
            raise serializers.ValidationError(f"Give a date between {FIRST_DATE} and {LAST_DATE}.")
        if self.past and value > london_date(timezone.now()):
            raise serializers.ValidationError("This date cannot be in the future.")
        return value


class InstantField(serializers.DateTimeField):
    """When something happened: an RFC 3339 date-time with an offset, from 2000 up to now."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not RFC3339.match(data):
            self.fail("invalid", format="YYYY-MM-DDThh:mm:ss+hh:mm")
        value = super().to_internal_value(data)
        if london_date(value) < FIRST_DATE:
            raise serializers.ValidationError(f"Give a date-time after {FIRST_DATE}.")
        if value > timezone.now() + FUTURE_SKEW:
            raise serializers.ValidationError("This date-time cannot be in the future.")
        return value


@extend_schema_field({"type": "string", "pattern": MONEY.pattern, "example": "50.00"})
class MoneyField(serializers.Field):
    """Pounds as a string, e.g. "50.00" (never a JSON number, which would round)."""

    default_error_messages = {"invalid": "Give an amount of pounds like 50 or 50.00."}

    def to_internal_value(self, data):
        if not isinstance(data, str) or not MONEY.match(data):
            self.fail("invalid")
        return Decimal(data)

    def to_representation(self, value):
        return f"{value:.2f}"


@extend_schema_field(OpenApiTypes.STR)
class UsernameField(StrictCharField):
    """A user of the caller's council, by username."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)
