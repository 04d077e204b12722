"""The web server's access log (gunicorn.conf.py) never writes a query string or referrer."""

import datetime as dt
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

from tests.privacy.conftest import EMAIL, NAME

ROOT = Path(__file__).resolve().parents[2]


def test_a_search_for_a_complainant_leaves_no_trace_in_the_access_log():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("access_log_format", settings["access_log_format"])
    logger = Logger(config)
    query = f"q={NAME.replace(' ', '+')}&email={EMAIL}"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/cases/?{query}", "PATH_INFO": "/cases/",
               "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
               "HTTP_REFERER": f"https://example.org/cases/?{query}"}
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, dt.timedelta(milliseconds=20))
    line = config.access_log_format % atoms
    assert '"GET /cases/ HTTP/1.1" 200 512' in line
    assert "Quillfeather" not in line and EMAIL not in line and "q=" not in line
