"""A logging filter that keeps personal data out of the logs.

The code logs references and ids only (``extra={"complaint": reference}``); this
filter is the safety net for what slips through: a library's message, an
exception text quoting a form value, an ``extra`` someone added carelessly. It is
installed on the stdout handler (``LOGGING`` in settings), so it sees every record
that is written, from every logger, before the JSON formatter does.

It removes:
* email addresses and UK phone numbers wherever they appear (message, extras,
  exception and stack text);
* the value of any extra whose key says it holds a person's details
  (``name``, ``email``, ``phone``, ``address``, ``recipient``, ``complainant``,
  ``representative``...). A free-text name in a message cannot be recognised by
  pattern; that is what the ids-only rule and its test are for.
"""

from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# UK numbers: 0 or +44 then 9-10 more digits, spaces, dashes or brackets allowed between them.
PHONE = re.compile(r"(?<![\w+.])(?:\+44[\s-]?(?:\(0\)[\s-]?)?|\(?0)(?:\d[\s()-]{0,2}){8,9}\d(?![\w.]\d)(?!\w)")
PERSONAL_KEYS = re.compile(r"name|email|e_mail|phone|mobile|address|postcode|recipient|complainant(?!_id)|"
                           r"representative(?!_role)|contact|words|body|text", re.IGNORECASE)
# Standard LogRecord attributes (and the formatter's), never treated as extras.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}
SAFE_KEYS = {"name", "logger"}  # the logger's name, not a person's
REDACTED = "[redacted]"


def scrub_text(text: str) -> str:
    return PHONE.sub(REDACTED, EMAIL.sub(REDACTED, text))


def scrub_value(value, key: str = ""):
    if key and key not in SAFE_KEYS and PERSONAL_KEYS.search(key) and value not in (None, "", [], {}):
        return REDACTED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: scrub_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [scrub_value(v) for v in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return scrub_text(str(value))


class PersonalDataFilter(logging.Filter):
    """Rewrites the record in place and always lets it through (a dropped record would hide an error)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, dict):
            record.msg = scrub_value(record.msg)
        else:
            try:
                message = record.getMessage()
            except Exception:  # a bad format string: log what there is rather than nothing
                message = f"{record.msg} {record.args}"
            record.msg, record.args = scrub_text(message), ()
        for key, value in list(vars(record).items()):
            if key not in STANDARD and not key.startswith("_"):
                setattr(record, key, scrub_value(value, key))
        if record.exc_info:
            record.exc_text = scrub_text(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub_text(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub_text(record.stack_info)
        return True
