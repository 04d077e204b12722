"""docs/performance.md from bench/run results: every size kept, targets judged at the largest, growth shown."""

from bench import scale_db, scale_report


def result(size: int, list_p95: float, submissions: float) -> dict:
    page = {"server": {"n": 600, "median": list_p95 / 2, "p95": list_p95, "max": list_p95 * 2},
            "client": {"n": 600, "median": list_p95, "p95": list_p95 * 3, "max": list_p95 * 4}, "failures": 0}
    return {
        "size": size, "seed": 1, "database": scale_db.database_name(size), "load_average_before": [1.0, 1.0, 1.0],
        "machine": {"cores": 2, "memory_bytes": 2**34, "cpu": "Test CPU", "platform": "Linux", "python": "3.11",
                    "django": "5.2"},
        "settings": {"clients": 8, "workers": 2, "requests": 200, "rounds": 3},
        "database_figures": {"complaints": size, "open": size // 20, "deadlines": size * 3, "bytes": size * 6000,
                             "postgres": "PostgreSQL 15", "first_received": "2016-11-25"},
        "built": {"today": "2026-11-23", "seed_seconds": size / 2000, "seed_cpu_seconds": size / 1000,
                  "vacuum_analyze_seconds": 3, "seed_time_line": "Time: 2 worker processes"},
        "figures": {
            "case list": page, "case list, filtered": page, "case detail": page, "overdue dashboard": page,
            "annual report": page,
            "sweeps": {"steady": {"n": 20, "median": 3.0, "p95": 4.0, "flagged": [0]},
                       "backlog": {"n": 3, "median": 2000.0, "p95": 2100.0, "flagged": [50000]}},
            "submissions": {"rate": {"median": submissions, "max": submissions, "rounds": [submissions]},
                            "submission": {"n": 10, "median": 900.0, "p95": 1000.0}, "errors": {}},
            "engine": {"best": 120000, "median": 110000},
            "load_average_after": [1.0, 1.0, 1.0]},
    }


def test_a_second_size_adds_a_column_and_the_growth_from_100k_to_1m(tmp_path):
    document = tmp_path / "performance.md"
    assert not scale_report.write(document, result(100_000, 40.0, 7.0))
    assert not scale_report.write(document, result(1_000_000, 60.0, 7.5))
    text = document.read_text()
    assert "| measure | target | 100k | 1M | growth 100k→1M |" in text
    assert "| Case list (team queue) | < 150 ms | p95 40 ms" in text and "| ×1.50 |" in text
    assert "- Public submissions: **missed**" in text and "- Case detail: met" in text
    assert "## Missed targets: why, and what would fix it" in text
    assert set(scale_report.previous(document)) == {100_000, 1_000_000}


def test_targets_are_judged_at_the_largest_size_measured(tmp_path):
    document = tmp_path / "performance.md"
    assert not scale_report.write(document, result(100_000, 200.0, 60.0))  # the list misses at 100k
    assert "- Case list (team queue): **missed**" in document.read_text()
    assert scale_report.write(document, result(1_000_000, 100.0, 60.0))  # and meets everything at 1M
    text = document.read_text()
    assert "**missed**" not in text and "Missed targets" not in text


def test_a_rerun_at_the_same_size_replaces_its_figures(tmp_path):
    document = tmp_path / "performance.md"
    scale_report.write(document, result(100_000, 40.0, 7.0))
    scale_report.write(document, result(100_000, 80.0, 7.0))
    assert scale_report.previous(document)[100_000]["figures"]["case list"]["server"]["p95"] == 80.0


def test_databases_are_named_by_size_and_reused_only_when_built_the_same_way():
    assert [scale_db.database_name(n) for n in (100_000, 1_000_000, 12_345)] == [
        "bench_100k", "bench_1m", "bench_12345"]
    built = {**scale_db.wanted(100_000, 1), "today": "2026-11-23"}
    assert scale_db.matches(built, 100_000, 1)
    assert not scale_db.matches(built, 100_000, 2) and not scale_db.matches(built, 200_000, 1)
    assert not scale_db.matches({**built, "open_percent": 50}, 100_000, 1)
    assert not scale_db.matches({}, 100_000, 1) and not scale_db.matches(None, 100_000, 1)


def test_the_document_can_be_written_again_from_the_results_it_holds(tmp_path):
    document = tmp_path / "performance.md"
    scale_report.write(document, result(100_000, 40.0, 7.0))
    document.write_text(document.read_text().replace("## Notes", "## Old notes"))
    scale_report.rewrite(document)
    assert "## Notes" in document.read_text() and "## Old notes" not in document.read_text()
    assert set(scale_report.previous(document)) == {100_000}
