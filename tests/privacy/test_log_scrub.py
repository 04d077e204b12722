"""Personal data never in logs: the filter, its place in the logging settings, and a whole journey captured."""

import io
import json
import logging
import logging.config

import pytest
from celery.signals import before_task_publish

from complaints.models import Complaint, StaffRole
from complaints.privacy.log_scrub import REDACTED, PersonalDataFilter
from config.settings import base
from tests.dates import date_parts
from tests.factories import staff
from tests.privacy.conftest import EMAIL, NAME, PHONE
from tests.public.conftest import FIXED_NOW, Resident, answers, fix_clock
from tests.staff.conftest import post_action

TRACES = [NAME, "Morwenna", "Quillfeather", EMAIL, PHONE, "900123"]


def filtered(message, *args, exc: Exception | None = None, **extra) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    record = logging.LogRecord("complaints.test", logging.WARNING, __file__, 1, message, args, exc_info)
    for key, value in extra.items():
        setattr(record, key, value)
    assert PersonalDataFilter().filter(record) is True
    return record


def test_emails_and_phone_numbers_are_removed_from_the_message_and_its_arguments():
    record = filtered("sending to %s, phone %s", EMAIL, "+44 (0)7700 900123")
    assert (record.getMessage(), record.args) == (f"sending to {REDACTED}, phone {REDACTED}", ())
    for number in ("07700 900123", "020 7946 0958", "(020) 7946-0958", "+447700900123"):
        assert filtered(f"call {number} now").getMessage() == f"call {REDACTED} now", number


def test_references_dates_ids_and_times_are_left_alone():
    text = "LBD-2026-00001 due 2026-06-01 id 1234567890 run 0.0123456789 uuid 0b1c2d3e-0123-4567-89ab-0123456789ab"
    assert filtered(text).getMessage() == text


def test_extras_named_for_personal_details_are_redacted_and_others_scrubbed():
    record = filtered("event", complaint="LBD-2026-00001", complainant_id=7, recipient=EMAIL, complainant_name=NAME,
                      representative_name="Tamsin", error=f"SMTPRecipientsRefused: {EMAIL}",
                      details={"email": EMAIL, "attempts": 3, "to": [EMAIL]})
    assert (record.complaint, record.complainant_id, record.recipient, record.complainant_name) == (
        "LBD-2026-00001", 7, REDACTED, REDACTED)
    assert record.representative_name == REDACTED
    assert record.error == f"SMTPRecipientsRefused: {REDACTED}"
    assert record.details == {"email": REDACTED, "attempts": 3, "to": [REDACTED]}


def test_exception_text_is_scrubbed():
    try:
        raise ValueError(f"duplicate key (email)=({EMAIL})")
    except ValueError as error:
        record = filtered("failed", exc=error)
    assert record.exc_info is None and EMAIL not in record.exc_text and REDACTED in record.exc_text


def test_the_deployed_logging_settings_filter_every_record_written():
    assert base.LOGGING["handlers"]["stdout"]["filters"] == ["personal_data"]
    assert base.LOGGING["filters"]["personal_data"]["()"] == "complaints.privacy.log_scrub.PersonalDataFilter"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.config.DictConfigurator(base.LOGGING).configure_formatter(
        base.LOGGING["formatters"]["json"]))
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("some.library")
    logger.addHandler(handler)
    try:
        logger.warning("mail to %s failed", EMAIL, extra={"recipient": NAME, "complaint": "BAR-2026-00001"})
    finally:
        logger.removeHandler(handler)
    [line] = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert (entry["message"], entry["recipient"], entry["complaint"]) == (
        f"mail to {REDACTED} failed", REDACTED, "BAR-2026-00001")


class Everything(logging.Handler):
    """Keeps every record as text: its message, extras and exception, before any filter."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record):
        self.texts.append(f"{record.getMessage()} {vars(record)} {record.exc_text or ''}")


@pytest.fixture
def captured():
    handler, root = Everything(), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    published: list[str] = []

    def on_publish(sender=None, body=None, headers=None, **kwargs):
        published.append(f"{sender} {body} {headers.get('argsrepr')} {headers.get('kwargsrepr')}")

    before_task_publish.connect(on_publish, weak=False)
    try:
        yield handler.texts, published
    finally:
        before_task_publish.disconnect(on_publish)
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.mark.django_db
def test_a_complaint_and_an_officers_work_on_it_log_and_queue_nothing_personal(
        client, loaded_policies, monkeypatch, captured, django_capture_on_commit_callbacks):
    records, published = captured
    fix_clock(monkeypatch, FIXED_NOW)
    given = answers("barnet", what={"what_happened": f"I am {NAME}. Call {PHONE}."},
                    contact={"name": NAME, "email": EMAIL, "phone": PHONE, "address": "", "preference": "email"})
    with django_capture_on_commit_callbacks(execute=True):
        response = Resident(client, "barnet").send(given)
    assert response.status_code == 302
    case = Complaint.objects.get()
    assert case.complainant.email == EMAIL

    officer = staff("barnet", StaffRole.COMPLAINTS_MANAGER)
    client.force_login(officer)
    steps = [("triage", {"route": "stage1"}),
             ("acknowledge", date_parts("on", "2026-06-02")),
             ("note", {"text": f"Rang {NAME} on {PHONE}"}),
             ("respond", {**date_parts("on", "2026-06-05"), "outcome": "upheld",
                          "findings": f"{NAME}'s bins were missed", "compensation_amount": "0",
                          "compensation_offset_against_arrears": "0"}),
             ("close", {"reason": f"{NAME} is content"})]
    for slug, data in steps:
        with django_capture_on_commit_callbacks(execute=True):
            done = post_action(client, case, slug, data)
        assert done.status_code == 302, (slug, done.context and done.context["form"].errors)
        client.get(f"/cases/{case.reference}/")
    assert Complaint.objects.get().state == "closed"
    assert records and published  # something was logged and queued
    leaks = {trace: [text for text in records + published if trace in text] for trace in TRACES}
    assert leaks == {trace: [] for trace in TRACES}
