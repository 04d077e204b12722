"""Helpers for browser tests: accessibility checks with axe-core (from the npm package)."""

import json

from django.conf import settings

AXE = settings.ASSETS_DIR / "test" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol, not added as a <script>: the pages' content security
    # policy (script-src 'self') rightly refuses an inline script, and the test must not weaken it.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("t => axe.run(document, {runOnly: {type: 'tag', values: t}})", WCAG_TAGS)
    return result["violations"]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    report = [{"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]]}
              for v in violations]
    assert violations == [], json.dumps(report, indent=2)


def assert_title_starts(page, prefix: str) -> None:
    """Wait (up to Playwright's timeout) for the page that a click navigated to, then check its title.

    Reading ``page.title()`` straight after a click can catch the navigation half-way on a busy machine.
    """
    import re

    from playwright.sync_api import expect

    expect(page).to_have_title(re.compile("^" + re.escape(prefix)))
