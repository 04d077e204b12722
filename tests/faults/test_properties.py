"""Property-based tests (Hypothesis) of the residents' form pages and the API's request bodies.

* Whatever a page or a request body holds (any text, any unicode, NUL, any JSON), the
  form or serializer answers with validation errors, never an exception, and every
  error is a message a person can read.
* What is valid round-trips: a page's answers, kept in the session as JSON and shown
  again, are the same answers when sent again; a valid API body is read as exactly
  the values sent (text kept as typed, dates and amounts as the same values).

The form and serializer classes are found by looking at the modules, so a new page or
request body is covered without changing this file (and one with a field this file
cannot generate fails the coverage check rather than going untested).
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from decimal import Decimal

import pytest
from django import forms
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from complaints.api import fields as api_fields
from complaints.api import serializers_actions, serializers_complaints, serializers_records
from complaints.public import forms_journey
from complaints.public.fields import GovukDateField, to_session
from complaints.public.journey import Journey
from complaints.public.views_journey import council_and_policy
from deadlines.calendar import london_date

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
COUNCILS = ["barnet", "lbbd", "barnet-group", "bucks", "brighton-hove"]

# Any text a browser or a program can send: every plane, control characters and NUL (no lone surrogates:
# a request decoded from bytes cannot hold one; the API's own test sends one, test_bad_dates_and_encodings).
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
SAFE_TEXT_CHARS = st.characters(codec="utf-8", exclude_characters="\x00")
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
                    max_leaves=12)


def readable(errors) -> bool:
    """Every leaf of an error structure is a non-empty message."""
    if isinstance(errors, dict):
        return all(readable(value) for value in errors.values())
    if isinstance(errors, list):
        return all(readable(value) for value in errors)
    return isinstance(errors, str) and bool(str(errors).strip())


# --- the residents' form pages --------------------------------------------------------------------------------
class Session(dict):
    modified = False


PAGE_FORMS = sorted((cls for _, cls in inspect.getmembers(forms_journey, inspect.isclass)
                     if issubclass(cls, forms_journey.JourneyForm) and cls is not forms_journey.JourneyForm),
                    key=lambda cls: cls.__name__)


def journey_for(slug: str, form_class) -> Journey:
    council, policy = council_and_policy(slug)
    journey = Journey(Session(), council, policy)
    if form_class is forms_journey.FeedbackForm:  # the feedback page is for a compliment, comment or suggestion
        others = [kind for kind in journey.kinds if kind != "complaint"]
        journey.answers["kind"] = {"kind": others[0] if others else "complaint"}
    return journey


def box_names(form) -> list[str]:
    """The names a page's boxes post under (a date is three boxes)."""
    names = []
    for name, field in form.fields.items():
        if isinstance(field, GovukDateField):
            names += [f"{name}_day", f"{name}_month", f"{name}_year"]
        elif not isinstance(field, forms.FileField):
            names.append(name)
    return names


def plausible(form, name: str) -> st.SearchStrategy:
    """A value that is often valid for the box ``name``, so clean() methods are reached too."""
    base, _, part = name.rpartition("_")
    field = form.fields.get(name) or form.fields.get(base)
    if isinstance(field, GovukDateField):
        bounds = {"day": (1, 31), "month": (1, 12), "year": (1990, 2026)}[part]
        return st.integers(*bounds).map(str)
    if isinstance(field, forms.ChoiceField) and field.choices:
        return st.sampled_from([str(key) for key, _ in field.choices])
    if isinstance(field, forms.BooleanField):
        return st.just("on")
    if isinstance(field, forms.EmailField):
        return st.from_regex(r"[a-z0-9]{1,12}@[a-z]{1,10}\.example", fullmatch=True)
    if name == "phone":
        return st.from_regex(r"0[0-9]{10}", fullmatch=True)
    return st.text(SAFE_TEXT_CHARS, min_size=1, max_size=60)


def page_data(draw, form, mostly_valid: bool) -> dict:
    """Boxes filled (or left out) with plausible values, or with any text at all."""
    data = {}
    for name in box_names(form):
        if draw(st.integers(0, 9)) > 0 if mostly_valid else draw(st.booleans()):
            strategy = plausible(form, name) if mostly_valid else st.one_of(plausible(form, name), ANY_TEXT)
            data[name] = draw(strategy)
    return data


def shown_again(form_class, journey, kept: dict) -> dict:
    """The page as shown again from the session (the "change" link), read back as its boxes would post it."""
    page = form_class(initial=kept, journey=journey)
    data = {}
    for name, field in page.fields.items():
        value = page[name].value()
        if isinstance(field, GovukDateField):
            for part, text in zip(("day", "month", "year"), field.widget.decompress(value)):
                data[f"{name}_{part}"] = text or ""
        elif isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value not in (None, ""):
            data[name] = str(value)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", PAGE_FORMS, ids=lambda cls: cls.__name__)
def test_any_text_on_any_page_gives_messages_never_an_exception(loaded_policies, form_class):
    journeys = {slug: journey_for(slug, form_class) for slug in COUNCILS}

    @PROPERTY
    @given(slug=st.sampled_from(COUNCILS), data=st.data())
    def check(slug, data):
        journey = journeys[slug]
        form = form_class(page_data(data.draw, form_class(journey=journey), mostly_valid=False), {}, journey=journey)
        if form.is_valid():
            assert "\x00" not in json.dumps(to_session(form.cleaned_data))
        else:
            messages = [error["message"] for errors in form.errors.get_json_data().values() for error in errors]
            assert messages and all(message.strip() for message in messages), form.errors
        form.render()  # the page shows again with what was typed, whatever it was

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", PAGE_FORMS, ids=lambda cls: cls.__name__)
def test_valid_answers_round_trip_through_the_session(loaded_policies, form_class):
    journeys = {slug: journey_for(slug, form_class) for slug in COUNCILS}
    valid_seen = []

    @PROPERTY
    @given(slug=st.sampled_from(COUNCILS), data=st.data())
    def check(slug, data):
        journey = journeys[slug]
        form = form_class(page_data(data.draw, form_class(journey=journey), mostly_valid=True), {}, journey=journey)
        if not form.is_valid():
            return
        valid_seen.append(slug)
        kept = json.loads(json.dumps(to_session(form.cleaned_data)))  # as the session stores it
        again = form_class(shown_again(form_class, journey, kept), {}, journey=journey)
        assert again.is_valid(), again.errors
        assert to_session(again.cleaned_data) == kept

    check()
    assert valid_seen, f"no valid answers for {form_class.__name__} were generated"


# --- the API's request bodies ---------------------------------------------------------------------------------
def _is_request_body(cls) -> bool:
    """A body or query the API reads: written with the strict fields of complaints.api.fields (the
    serializers of answers use DRF's own), or a list's filters; uploads (files) are tested elsewhere."""
    if not issubclass(cls, serializers.Serializer) or issubclass(cls, serializers.ModelSerializer):
        return False
    fields = cls().fields.values()
    return (not any(isinstance(field, serializers.FileField) for field in fields)
            and (cls.__name__.endswith("FilterSerializer")
                 or any(type(field).__module__ == api_fields.__name__ for field in fields)))


INPUT_SERIALIZERS = sorted({cls for module in (serializers_actions, serializers_complaints, serializers_records)
                            for _, cls in inspect.getmembers(module, inspect.isclass)
                            if cls.__module__ == module.__name__ and _is_request_body(cls)},
                           key=lambda cls: cls.__name__)


@pytest.mark.parametrize("serializer_class", INPUT_SERIALIZERS, ids=lambda cls: cls.__name__)
def test_any_json_body_gives_field_messages_never_an_exception(serializer_class):
    names = list(serializer_class().fields)

    @PROPERTY
    @given(body=JSON | st.dictionaries(st.sampled_from(names) | ANY_TEXT, JSON, max_size=len(names) + 2))
    def check(body):
        serializer = serializer_class(data=body)
        if not serializer.is_valid():
            assert readable(serializer.errors), serializer.errors

    check()


NOW_SKEW = dt.timedelta(minutes=10)


def value_strategy(field) -> st.SearchStrategy:
    """(JSON value, the value the field reads it as) for a valid value of ``field``."""
    if isinstance(field, serializers.ListSerializer):
        return st.lists(body_strategy(field.child), max_size=3).map(
            lambda pairs: ([sent for sent, _ in pairs], [read for _, read in pairs]))
    if isinstance(field, serializers.Serializer):
        return body_strategy(field)
    if isinstance(field, serializers.ListField):
        limit = field.max_length if field.max_length is not None else 5
        return st.lists(value_strategy(field.child), max_size=min(limit, 5)).map(
            lambda pairs: ([sent for sent, _ in pairs], [read for _, read in pairs]))
    if isinstance(field, api_fields.MoneyField):
        return st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2).map(
            lambda amount: (f"{amount:.2f}", amount))
    if isinstance(field, api_fields.InstantField):
        latest = timezone.now() - NOW_SKEW
        offsets = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=1)),
                                   dt.timezone(-dt.timedelta(hours=5))])
        return st.builds(lambda moment, zone: moment.astimezone(zone).replace(microsecond=0),
                         st.datetimes(min_value=dt.datetime(2000, 1, 2), max_value=latest.replace(tzinfo=None),
                                      timezones=st.just(dt.UTC)), offsets).map(
            lambda moment: (moment.isoformat(), moment))
    if isinstance(field, api_fields.StrictDateField):
        latest = london_date(timezone.now()) if field.past else api_fields.LAST_DATE
        return st.dates(api_fields.FIRST_DATE, latest).map(lambda day: (day.isoformat(), day))
    if isinstance(field, serializers.ChoiceField):  # the strict one and the query filters' own
        return st.sampled_from(list(field.choices)).map(lambda key: (key, key))
    if isinstance(field, api_fields.QueryIntegerField):
        return st.integers(max(field.min_value or 0, 0), field.max_value).map(lambda n: (str(n), n))
    if isinstance(field, serializers.IntegerField):
        low = field.min_value if field.min_value is not None else -(2**63)
        return st.integers(low, field.max_value).map(lambda n: (n, n))
    if isinstance(field, api_fields.StrictBooleanField):
        return st.booleans().map(lambda flag: (flag, flag))
    if isinstance(field, api_fields.StrictEmailField):
        emails = st.from_regex(r"[a-z0-9]{1,20}@[a-z]{1,12}\.example", fullmatch=True)
        return emails.map(lambda email: (email, email))
    if isinstance(field, api_fields.StrictCharField):
        size = min(field.max_length or 200, 200)
        return st.text(SAFE_TEXT_CHARS, min_size=0 if field.allow_blank else 1, max_size=size).map(
            lambda text: (text, text))
    raise AssertionError(f"no strategy for {type(field).__name__} {field.field_name!r}: add one to this test")


@st.composite
def _body(draw, serializer):
    sent, read = {}, {}
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if not field.required and draw(st.booleans()):  # left out: its default, or nothing
            default = field.get_default() if field.default is not serializers.empty else serializers.empty
            if default is not serializers.empty:
                read[name] = default
            continue
        if getattr(field, "allow_null", False) and draw(st.integers(0, 4)) == 0:
            sent[name] = read[name] = None
            continue
        sent[name], read[name] = draw(value_strategy(field))
    return sent, read


def body_strategy(serializer) -> st.SearchStrategy:
    return _body(serializer)


@pytest.mark.parametrize("serializer_class", INPUT_SERIALIZERS, ids=lambda cls: cls.__name__)
def test_a_valid_json_body_is_read_as_exactly_what_was_sent(serializer_class):
    @PROPERTY
    @given(pair=body_strategy(serializer_class()))
    def check(pair):
        sent, expected = pair
        serializer = serializer_class(data=json.loads(json.dumps(sent)))
        assert serializer.is_valid(), (sent, serializer.errors)
        assert plain(serializer.validated_data) == plain(expected)

    check()


def plain(value):
    """Validated data as plain dicts and lists (DRF returns OrderedDicts and ReturnLists)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def test_the_main_request_bodies_are_covered():
    names = {cls.__name__ for cls in INPUT_SERIALIZERS}
    assert {"ComplaintCreateSerializer", "NoteCreateSerializer", "CorrespondenceCreateSerializer",
            "FeedbackCreateSerializer", "RespondSerializer", "ExtendSerializer", "TriageSerializer",
            "ComplaintFilterSerializer"} <= names
    assert {cls.__name__ for cls in PAGE_FORMS} >= {"WhatForm", "WhenForm", "ContactForm", "RepresentativeForm"}
