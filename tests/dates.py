"""Typing dates into the GOV.UK date input (day, month and year boxes): in a POST, and in a browser."""

from __future__ import annotations

import datetime as dt


def date_parts(prefix: str, day: str | dt.date) -> dict:
    """``{"on_day": "20", "on_month": "5", "on_year": "2026"}`` from ``"2026-05-20"`` (empty: three empty boxes)."""
    if not day:
        return {f"{prefix}_day": "", f"{prefix}_month": "", f"{prefix}_year": ""}
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def date_group(page, legend: str):
    """The date input whose legend is ``legend`` (a fieldset with role group)."""
    return page.get_by_role("group", name=legend, exact=True)


def fill_date(page, legend: str, day: dt.date) -> None:
    group = date_group(page, legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def date_value(page, legend: str) -> str:
    """What the three boxes hold, as ``d/m/yyyy`` (as typed, so "" boxes show as empty parts)."""
    group = date_group(page, legend)
    return "/".join(group.get_by_label(part).input_value() for part in ("Day", "Month", "Year"))


def typed_parts(html: str, prefix: str) -> tuple[str, str, str]:
    """What a page's day, month and year boxes for ``prefix`` hold (``""`` for an empty box)."""
    import re

    values = []
    for part in ("day", "month", "year"):
        box = re.search(rf'<input [^>]*name="{re.escape(prefix)}_{part}"[^>]*>', html)
        assert box is not None, f"no {part} box for {prefix}"
        value = re.search(r'value="([^"]*)"', box.group(0))
        values.append(value.group(1) if value else "")
    return tuple(values)


def date_query(**dates: str) -> str:
    """``received_from_day=4&received_from_month=6&...`` for a GET form's date inputs."""
    from urllib.parse import urlencode

    params = {}
    for prefix, day in dates.items():
        params.update(date_parts(prefix, day))
    return urlencode(params)
