"""Writing demo rows: COPY on PostgreSQL, ``bulk_create`` elsewhere; ids; indexes deferred for big loads.

Rows come in chunks with local numbers in their id and foreign-key columns
(``seeding_rows``). The writer takes real ids for each chunk from the tables'
own sequences (PostgreSQL), or counts on from the highest id (SQLite, where
the seeding transaction holds the only write lock), puts them in, and writes
the rows: binary ``COPY ... FROM STDIN`` through psycopg on PostgreSQL, model
instances and ``bulk_create`` otherwise (the run command's embedded SQLite).

For a big load into a small database, :class:`DeferredIndexes` drops the
written tables' secondary indexes, unique constraints and foreign keys
inside the seeding transaction and recreates them at the end (foreign keys
validated then, in one pass each): maintaining a dozen B-trees row by row and
checking every foreign key with a trigger costs several times more than
building them once. Other sessions wait for the seeding to commit, as they
would anyway for the council rows it locks.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.db import connection

from complaints.services.seeding_rows import SPACES, Table


TEXT_OID = 25
CHARACTER_OIDS = {25, 1042, 1043}  # text, character, character varying


class Writer:
    """Where a seeding run's rows go; subclasses write them."""

    def __init__(self):
        self.seconds = 0.0  # time spent writing, for the report

    def ids(self, space: str, count: int) -> list[int]:
        raise NotImplementedError

    def write(self, table: Table, rows: list[list], positions: list[tuple[int, str]],
              ids: dict[str, list[int]]) -> None:
        raise NotImplementedError

    def write_chunk(self, tables: Iterable[Table], positions: dict[str, list[tuple[int, str]]],
                    rows: dict[str, list[list]], counts: dict[str, int]) -> None:
        started = time.perf_counter()
        ids = {space: self.ids(space, count) for space, count in counts.items()}
        for table in tables:
            if rows[table.name]:
                self.write(table, rows[table.name], positions[table.name], ids)
        self.seconds += time.perf_counter() - started

    @staticmethod
    def localise(rows: list[list], positions: list[tuple[int, str]], ids: dict[str, list[int]]) -> None:
        """Swap local numbers for real ids, in place."""
        for position, space in positions:
            real = ids[space]
            for row in rows:
                row[position] = real[row[position]]


class CopyWriter(Writer):
    """PostgreSQL: ids from each table's sequence, rows through ``COPY ... FROM STDIN``."""

    def __init__(self):
        super().__init__()
        self.types: dict[str, list[int]] = {}
        self.sequences: dict[str, str] = {}
        with connection.cursor() as cursor:
            for space, model in SPACES.items():
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
                self.sequences[space] = cursor.fetchone()[0]

    def ids(self, space: str, count: int) -> list[int]:
        if not count:
            return []
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self.sequences[space], count])
            return [row[0] for row in cursor.fetchall()]

    def _types(self, table: str, columns: list[str]) -> list[int]:
        """Each column's type oid, for binary COPY (character types sent as text: the same wire format)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass "
                           "AND attnum > 0 AND NOT attisdropped", [table])
            oids = dict(cursor.fetchall())
        return [TEXT_OID if oids[column] in CHARACTER_OIDS else oids[column] for column in columns]

    def write(self, table, rows, positions, ids):
        self.localise(rows, positions, ids)
        name, columns = table.shape.table, table.shape.columns
        if name not in self.types:
            self.types[name] = self._types(name, columns)
        listed = ", ".join(f'"{column}"' for column in columns)
        with connection.cursor() as cursor:
            with cursor.copy(f'COPY "{name}" ({listed}) FROM STDIN (FORMAT BINARY)') as copy:
                copy.set_types(self.types[name])
                write_row = copy.write_row
                for row in rows:
                    write_row(row)


class OrmWriter(Writer):
    """Any other database: ids counted on from the highest, rows as model instances through ``bulk_create``."""

    def __init__(self, batch_size: int):
        super().__init__()
        self.batch_size = batch_size
        self.next_id = {}
        for space, model in SPACES.items():
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
            self.next_id[space] = (last or 0) + 1

    def ids(self, space: str, count: int) -> list[int]:
        first = self.next_id[space]
        self.next_id[space] = first + count
        return list(range(first, first + count))

    def write(self, table, rows, positions, ids):
        self.localise(rows, positions, ids)
        model, names = table.shape.model, table.shape.attnames
        model.objects.bulk_create([model(**dict(zip(names, row))) for row in rows], batch_size=self.batch_size)


class DeferredIndexes:
    """Drop the tables' secondary indexes, unique constraints and foreign keys now; recreate them on ``restore``.

    Primary keys stay, and so do partial indexes: they hold only the few rows
    that match (open cases, open deadlines), so keeping them costs little, and
    PostgreSQL does not give back their predicates exactly as written.
    Everything else is read back from the catalog (``pg_get_indexdef``,
    ``pg_get_constraintdef``), so indexes added by any migration come back as
    they were. Must run inside the seeding transaction: a failure rolls the
    drops back too.
    """

    def __init__(self, tables: list[str]):
        self.tables = tables
        self.recreate: list[str] = []
        self.seconds = 0.0

    def drop(self) -> None:
        drops = []
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC, conname",
                    [table])
                for name, definition in cursor.fetchall():
                    drops.append(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                    self.recreate.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND i.indpred IS NULL AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1", [table])
                for name, definition in cursor.fetchall():
                    drops.append(f"DROP INDEX {name}")
                    self.recreate.append(definition)
            # Checks this transaction still owes (the council rows, staff, areas) run now: a table with
            # pending trigger events cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in drops:
                cursor.execute(statement)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Unique constraints before the foreign keys: recreate in the reverse order of dropping per kind.
        self.recreate.sort(key=lambda sql: "FOREIGN KEY" in sql)

    def restore(self) -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in self.recreate:
                cursor.execute(statement)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.seconds = time.perf_counter() - started
