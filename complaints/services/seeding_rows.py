"""Demo rows as plain lists in each table's column order, with their first history rows.

Seeding writes millions of rows, so it builds no model instances: a
:class:`Shape` knows one table's columns (from the model, so a new field with
a default needs nothing here) and turns keyword values into a list in that
order, every other column at the field's default. Rows that others point at
(a case, its complainant, stages, deadlines, outcomes) carry *local* numbers
in their id and foreign-key columns, counted from 0 within one chunk of
cases; the writer swaps them for real ids when it writes the chunk (see
``TABLES``). Tables nobody points at leave ``id`` to the database.

A first history row (django-simple-history's ``+`` row) is the base row
projected onto the historical table's columns plus when, why and by whom.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from django.db import models

from complaints.models import (
    Action,
    CaseStage,
    Complainant,
    Complaint,
    Deadline,
    Feedback,
    Note,
    StageOutcome,
)

HISTORY_TAIL = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _plain(value):
    return value.value if isinstance(value, Enum) else value


class Shape:
    """One table's columns in order and a row builder that fills in the defaults."""

    def __init__(self, model: type[models.Model], now: dt.datetime, with_id: bool):
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.model = model
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.index = {name: i for i, name in enumerate(self.attnames)}
        self.defaults = [now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                         else _plain(f.get_default()) for f in fields]
        for position, f in enumerate(fields):  # binary COPY sends numerics as Decimal, never int
            if isinstance(f, models.DecimalField) and self.defaults[position] is not None:
                self.defaults[position] = Decimal(str(self.defaults[position]))

    def row(self, values: dict) -> list:
        row = self.defaults.copy()
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        return row


class HistoryShape:
    """The historical table of a model: its columns are the base row's (projected) plus the history tail."""

    def __init__(self, base: Shape):
        historical = base.model.history.model
        self.model = historical
        self.table = historical._meta.db_table
        tracked = [f for f in historical._meta.concrete_fields
                   if f.attname not in HISTORY_TAIL and f.attname != "history_id"]
        self.projection = [base.index[f.attname] for f in tracked]
        self.columns = [f.column for f in tracked] + list(HISTORY_TAIL)
        self.attnames = [f.attname for f in tracked] + list(HISTORY_TAIL)
        self.same = self.projection == list(range(len(base.columns)))

    def row(self, base_row: list, at: dt.datetime, reason: str, user_id: int | None) -> list:
        if self.same:
            return [*base_row, at, reason, "+", user_id]
        return [*(base_row[i] for i in self.projection), at, reason, "+", user_id]


@dataclass(frozen=True)
class Table:
    """A table the seeder writes: its shape, and which columns hold local numbers of which id space."""

    name: str
    shape: Shape | HistoryShape
    refs: tuple[tuple[str, str], ...]  # (column, id space); "id" first when the rows' own ids are local

    @property
    def own_ids(self) -> str | None:
        return next((space for column, space in self.refs if column == "id"), None)


# Id spaces: a local number in a column named here is the n-th row of that space in the chunk.
SPACES = {"complainant": Complainant, "complaint": Complaint, "stage": CaseStage, "deadline": Deadline,
          "outcome": StageOutcome}


class Shapes:
    """Every table one seeding run writes, in an order that satisfies the foreign keys."""

    def __init__(self, now: dt.datetime):
        self.complainant = Shape(Complainant, now, with_id=True)
        self.complaint = Shape(Complaint, now, with_id=True)
        self.complaint_history = HistoryShape(self.complaint)
        self.area_link = Shape(Complaint.service_areas.through, now, with_id=False)
        self.stage = Shape(CaseStage, now, with_id=True)
        self.stage_history = HistoryShape(self.stage)
        self.handler = Shape(CaseStage.handled_by.through, now, with_id=False)
        self.deadline = Shape(Deadline, now, with_id=True)
        self.deadline_history = HistoryShape(self.deadline)
        self.outcome = Shape(StageOutcome, now, with_id=True)
        self.action = Shape(Action, now, with_id=False)
        self.note = Shape(Note, now, with_id=False)
        self.feedback = Shape(Feedback, now, with_id=False)
        case = ("complaint_id", "complaint")
        self.tables = [
            Table("complainants", self.complainant, (("id", "complainant"),)),
            Table("complaints", self.complaint, (("id", "complaint"), ("complainant_id", "complainant"))),
            Table("complaint history", self.complaint_history,
                  (("id", "complaint"), ("complainant_id", "complainant"))),
            Table("complaint service areas", self.area_link, (case,)),
            Table("case stages", self.stage, (("id", "stage"), case)),
            Table("case stage history", self.stage_history, (("id", "stage"), case)),
            Table("stage handlers", self.handler, (("casestage_id", "stage"),)),
            Table("deadlines", self.deadline, (("id", "deadline"), case)),
            Table("deadline history", self.deadline_history, (("id", "deadline"), case)),
            Table("stage outcomes", self.outcome, (("id", "outcome"), case)),
            Table("actions", self.action, (("outcome_id", "outcome"),)),
            Table("notes", self.note, (case,)),
        ]
        self.by_name = {table.name: table for table in self.tables}
        self.feedback_table = Table("feedback", self.feedback, ())

    def positions(self, table: Table) -> list[tuple[int, str]]:
        """(column position, id space) of the columns that hold local numbers."""
        return [(table.shape.columns.index(column), space) for column, space in table.refs]
