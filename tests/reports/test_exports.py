"""XLSX downloads: the CSV's numbers, one typed sheet per table; formula-like text defused in both formats."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from complaints.reports import views
from complaints.reports.exports import FORMULA_START, csv_response, sheet_names, xlsx_bytes
from complaints.reports.tables import Column, Table
from tests.factories import staff
from tests.reports.downloads import about_rows, csv_tables, workbook, xlsx_tables
from tests.reports.scenario import D, build_barnet_2026, build_lbbd_open_cases

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(views, "report_today", lambda: D("2026-06-10"))


def as_csv_text(value) -> str:
    """What the CSV writes for a cell the XLSX holds as ``value``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def assert_same_figures(book, csv_: dict) -> None:
    """The CSV's heading lines are the About sheet's; each CSV table is a sheet with the same cells."""
    (title, lines), *tables = csv_.items()
    about = about_rows(book)
    assert [[title], *lines] == about[:len(lines) + 1]
    xlsx = xlsx_tables(book)
    assert list(xlsx) == [caption for caption, _ in tables]
    for caption, csv_rows in tables:
        rows = xlsx[caption]
        assert len(rows) == len(csv_rows), caption
        assert rows[0] == csv_rows[0], caption  # the header
        for row, csv_row in zip(rows[1:], csv_rows[1:]):
            assert len(row) == len(csv_row), (caption, row)
            for value, text in zip(row, csv_row):
                if isinstance(value, (int, float)):
                    assert Decimal(text) == Decimal(str(value)), (caption, row, csv_row)
                else:
                    assert as_csv_text(value) == text, (caption, row, csv_row)


@pytest.mark.django_db
def test_every_csv_download_has_an_xlsx_with_the_same_figures(client):
    build_barnet_2026()
    build_lbbd_open_cases()
    lbbd_manager = staff("lbbd", role="complaints_manager")
    barnet_manager = staff("barnet", role="complaints_manager")
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    downloads = [
        (lbbd_manager, "/dashboard/?due_within=3", "overdue-lbbd-2026-06-10"),
        (root, "/dashboard/", "overdue-all-2026-06-10"),
        (root, "/dashboard/?council=lbbd", "overdue-lbbd-2026-06-10"),
        (barnet_manager, "/dashboard/trends/", "trends-barnet-2026-06-10"),
        (barnet_manager, "/reports/barnet/2026/", "barnet-annual-complaints-report-2026"),
        (barnet_manager, "/reports/barnet/2026/q2/", "barnet-quarterly-service-report-2026-q2"),
    ]
    for user, url, stem in downloads:
        client.force_login(user)
        joiner = "&" if "?" in url else "?"
        as_csv = client.get(f"{url}{joiner}format=csv")
        as_xlsx = client.get(f"{url}{joiner}format=xlsx")
        assert as_csv["Content-Disposition"] == f'attachment; filename="{stem}.csv"', url
        assert as_xlsx["Content-Type"] == XLSX_TYPE
        assert as_xlsx["Content-Disposition"] == f'attachment; filename="{stem}.xlsx"', url
        csv_ = csv_tables(as_csv)
        assert csv_, url
        assert_same_figures(workbook(as_xlsx), csv_)


@pytest.mark.django_db
def test_xlsx_numbers_are_numbers_dates_are_dates_and_headers_are_bold(client):
    barnet = build_barnet_2026()
    client.force_login(barnet.manager)
    book = workbook(client.get("/reports/barnet/2026/q2/?format=xlsx"))
    tables = xlsx_tables(book)
    timeliness = book["Timeliness by stage"]
    assert [cell.value for cell in timeliness[1]][:3] == ["Stage", "Answered", "Within policy timescale"]
    assert all(cell.font.b for cell in timeliness[1]) and not timeliness["A2"].font.b
    assert timeliness.freeze_panes == "A2"
    stage1 = next(row for row in timeliness.iter_rows(min_row=2) if row[0].value == "Stage 1")
    # B answered on time after an extension, 21 working days from receipt; C late, 17 days.
    assert [cell.value for cell in stage1] == ["Stage 1", 2, 1, 50.0, 0, 0.0, 19.0, 1, 1]
    assert stage1[3].number_format == "0.0" and stage1[1].number_format == "#,##0"
    remedies = book["Remedies and compensation"]
    paid = next(row for row in remedies.iter_rows(min_row=2) if row[0].value == "Compensation paid")
    assert paid[1].value is None and paid[2].value == 50 and paid[2].number_format == '"£"#,##0.00'
    open_actions = book["Open learning actions"]
    due = open_actions["D2"]
    assert due.is_date and due.value == dt.datetime(2026, 6, 30) and due.number_format == "yyyy-mm-dd"
    assert tables["What people told us"][1][0] == dt.datetime(2026, 4, 1)
    about = about_rows(book)
    assert about[0] == ["Quarterly service report by department: London Borough of Barnet"]
    assert about[1:3] == [["Q2 2026 (April to June 2026)"], ["2026-04-01 to 2026-06-30"]]
    listed = {row[0]: row[1:] for row in about[5:]}
    assert listed["Timeliness by stage"][0] == "Timeliness by stage"
    assert listed["Timeliness by stage"][1].startswith("Policy timescale: the response deadline")
    assert listed["Open learning actions"] == ["Learning actions open at the end of the quarter"]


@pytest.mark.django_db
def test_a_formula_typed_by_a_resident_is_text_in_both_downloads(client):
    barnet = build_barnet_2026()
    client.force_login(barnet.manager)
    as_xlsx = client.get("/reports/barnet/2026/?format=xlsx")
    told = workbook(as_xlsx)["What people told us"]
    cell = next(row[3] for row in told.iter_rows(min_row=2) if row[1].value == "Suggestion")
    assert cell.value == "'=Put benefit forms online" and cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(as_xlsx.content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(name) for name in sheets)
    assert csv_tables(client.get("/reports/barnet/2026/?format=csv"))["What people told us"][3][3] == \
        "'=Put benefit forms online"


def test_every_formula_start_is_defused_and_numbers_are_left_alone():
    table = Table("Names", [Column("Name"), Column("Cases", "count"), Column("Days", "days")])
    for start in FORMULA_START:
        table.add(f"{start}SUM(A1)", -3, -1.5)
    table.add("Plain name", 0, None)
    heading = ["=cmd|' /C calc'!A0"]
    rows = list(csv.reader(io.StringIO(csv_response([table], "x.csv", heading).content.decode("utf-8-sig"))))
    assert rows[0] == ["'=cmd|' /C calc'!A0"]
    assert rows[4:] == [[f"'{start}SUM(A1)", "-3", "-1.5"] for start in FORMULA_START] + [["Plain name", "0", ""], []]
    book = workbook(xlsx_bytes([table], heading))
    # (XML reads a carriage return back as a line feed.)
    values = [[cell.value for cell in row] for row in book["Names"].iter_rows(min_row=2)]
    assert values == ([[f"'{start}SUM(A1)".replace("\r", "\n"), -3, -1.5] for start in FORMULA_START]
                      + [["Plain name", 0, None]])
    assert book["About"]["A1"].value == "'=cmd|' /C calc'!A0"


def test_control_characters_typed_into_a_text_do_not_break_the_xlsx():
    table = Table("Learning", [Column("Learning")])
    table.add("Bins\x0b missed\x1b")
    table.add("\x01=HYPERLINK(1)")
    book = workbook(xlsx_bytes([table], ["Heading"]))
    assert [row[0].value for row in book["Learning"].iter_rows(min_row=2)] == ["Bins missed", "'=HYPERLINK(1)"]


def test_sheet_names_are_ones_excel_accepts():
    long = "Open cases overdue and due soon: by service area"
    tables = [Table(long, []), Table(long, []), Table("A/B [x]*?", []), Table("About", []),
              Table("Anything", [], sheet="Short name")]
    names = sheet_names(tables, {"about"})
    assert names == ["Open cases overdue and due soon", "Open cases overdue and due (2)", "A-B -x---", "About (2)",
                     "Short name"]
    assert all(len(name) <= 31 for name in names)
