"""Every council's journey in headless Chromium, with JavaScript on and with it off.

For each council a resident sends a complaint through every page of the form
(first sending one page empty, to see its error state), follows the private
link from the acknowledgement email, and, once officers have answered the case
(the services, called here), asks for the next stage in the browser; then
withdraws another case. Barking and Dagenham's complaint is made by a
representative, with their written, signed permission and a photo uploaded;
Buckinghamshire's resident first stays anonymous (logged as a service request,
with no link to follow) and then sends a named complaint.

axe-core checks every page shown, error states included, for WCAG 2.2 A/AA (a
page whose markup is exactly that of one already checked, such as the same empty
question in a second sending, is not checked twice). With JavaScript off the page cannot run axe, so the HTML it shows is written
into a page of the same site with JavaScript on, and axe runs there.

One browser serves the whole run (pytest-playwright's session ``browser``).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from complaints.models import Complaint, Consent, State
from complaints.public.tokens import tracking_token_issue
from complaints.services.intake import complaint_triage
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_respond
from tests.browser import AXE, WCAG_TAGS, assert_title_starts
from tests.factories import london, make_complaint, service_area, staff
from tests.public.conftest import FIXED_NOW, deliver_emails, fix_clock

pytestmark = pytest.mark.django_db(transaction=True)

# Only violations are wanted: axe then skips the details of the rules that passed, which halves its time.
AXE_RUN = "t => axe.run(document, {runOnly: {type: 'tag', values: t}, resultTypes: ['violations']})"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')  # a new token each time: not part of the page
REWRITE = "html => { document.open(); document.write(html); document.close(); }"


@dataclass(frozen=True)
class Scenario:
    council: str
    header: str
    area: str
    next_stage: str  # the stage a complainant asks for after Stage 1
    prefix: str  # of the council's references
    representative: bool = False  # a relative complains, uploading the person's written, signed permission
    evidence: bool = False  # a photo is uploaded on the evidence page
    anonymous_first: bool = False  # an anonymous contact comes first (Bucks logs it as a service request)


SCENARIOS = [
    Scenario("barnet", "London Borough of Barnet", "Waste and recycling", "Review", "BAR", evidence=True),
    Scenario("lbbd", "London Borough of Barking and Dagenham", "Housing", "Review", "LBD",
             representative=True, evidence=True),
    Scenario("barnet-group", "The Barnet Group (Barnet Homes, Opendoor Homes, Your Choice Barnet)",
             "Tenancy management", "Stage 2", "TBG"),
    Scenario("bucks", "Buckinghamshire County Council", "Highways", "Stage 2", "BCC", anonymous_first=True),
    Scenario("brighton-hove", "Brighton & Hove City Council", "Parking", "Stage 2", "BHC"),
]


# --- accessibility ---------------------------------------------------------------------------------
def axe_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # From the live server's static files rather than inlined: Chromium then keeps the compiled
        # script between pages, and injecting it takes a third of the time.
        page.add_script_tag(url=settings.STATIC_URL + AXE.relative_to(settings.ASSETS_DIR).as_posix())
    return page.evaluate(AXE_RUN, WCAG_TAGS)["violations"]


class Resident:
    """The resident's page, and how its pages are checked with axe (directly, or again on a JavaScript page)."""

    def __init__(self, page, axe_page=None):
        self.page = page
        self.axe_page = axe_page  # set when the resident's JavaScript is off
        self.checked: list[str] = []  # the titles of the pages axe checked
        self.seen: set[str] = set()  # their markup's hashes
        self.base = ""
        self.axe_seconds = 0.0

    @property
    def javascript(self) -> bool:
        return self.axe_page is None

    def accessible(self) -> None:
        """axe on the page shown; a page whose markup is the same as one checked already is not checked again."""
        t0 = time.perf_counter()
        page = self.page
        html = page.content()
        markup = hashlib.sha256(CSRF.sub("", html).encode()).hexdigest()
        if markup in self.seen:
            return
        if self.axe_page is not None:
            # Written into a page of the same site, rather than served to it again: no navigation, and
            # the styles come from the page's cache, so the check takes half the time.
            self.axe_page.evaluate(REWRITE, html)
            self.axe_page.wait_for_function("document.readyState === 'complete'")
            page = self.axe_page
        violations = axe_violations(page)
        report = [{"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]]}
                  for v in violations]
        assert violations == [], f"{self.page.url} ({self.page.title()}):\n{json.dumps(report, indent=2)}"
        self.checked.append(self.page.title())
        self.seen.add(markup)
        self.axe_seconds += time.perf_counter() - t0

    def button(self, name: str) -> None:
        self.page.get_by_role("button", name=name, exact=True).click()

    def continue_(self) -> None:
        self.button("Continue")

    def step(self) -> str:
        """The question the page asks: the last part of its address."""
        match = re.search(r"/complain/([a-z-]+)/(?:\?.*)?$", self.page.url)
        assert match, self.page.url
        return match.group(1)

    def error_state(self, *messages: str) -> None:
        """The page refused what was sent: an error title, the summary with each message, and axe."""
        page = self.page
        assert_title_starts(page, "Error: ")
        summary = page.locator(".govuk-error-summary")
        for message in messages:
            assert message in summary.inner_text()
        if self.javascript:  # GOV.UK Frontend moves the focus to the summary
            expect(summary).to_be_focused()
        self.accessible()


# --- the form -------------------------------------------------------------------------------------
def answer(resident: Resident, step: str, sc: Scenario, anonymous: bool, files) -> None:
    page = resident.page
    if step == "kind":
        page.get_by_label("Make a complaint").check()
    elif step == "before":
        page.get_by_label("Yes, I asked you to do something and I'm unhappy with how you dealt with it").check()
    elif step == "what":
        page.get_by_label("What happened?").fill("Our bins have not been collected for three weeks.\n"
                                                 "I reported it twice.")
    elif step == "when":
        page.locator("#id_incident-day").fill("20")
        page.locator("#id_incident-month").fill("5")
        page.locator("#id_incident-year").fill("2026")
    elif step == "service":
        page.get_by_label(sc.area, exact=True).check()
    elif step == "outcome":
        page.get_by_label("What would you like us to do to put things right?").fill("Collect the bins.")
    elif step == "who":
        page.get_by_label("Someone else: I'm making it for them" if sc.representative else "Myself").check()
    elif step == "role":
        page.get_by_label("A relative", exact=True).check()
    elif step == "representative":
        page.get_by_label("Their full name").fill("Sam Smith")
        page.get_by_label("Your full name").fill("Jo Smith")
        page.get_by_label("Your relationship to them (optional)").fill("Daughter")
    elif step == "consent":
        page.get_by_label("I confirm that Sam Smith has given me written, signed permission to make this "
                          "complaint for them").check()
        page.get_by_label("Upload their written, signed permission (optional)").set_input_files(str(files["consent"]))
    elif step == "support":
        page.get_by_label("No", exact=True).check()
    elif step == "anonymous":
        page.get_by_label("No, I want to stay anonymous" if anonymous else "Yes", exact=True).check()
    elif step == "contact":
        if not sc.representative:
            page.get_by_label("Full name").fill("Alex Resident")
        page.get_by_label("Email address").fill("alex@example.org")
        page.get_by_label("Email", exact=True).check()
    elif step == "evidence":
        if sc.evidence:
            page.get_by_label("Upload a file").set_input_files(str(files["evidence"]))
            resident.button("Upload file")
            assert "photo.png" in page.locator(".govuk-summary-list").inner_text()
            resident.accessible()  # the page again, listing the file
    else:
        raise AssertionError(f"the journey asked {step!r}, which this test does not answer")


def send_complaint(resident: Resident, sc: Scenario, files, *, anonymous: bool = False, empty_first: bool = True):
    """From the council's start page to the confirmation; every page checked with axe. The reference sent."""
    page = resident.page
    page.goto(f"{resident.base}/{sc.council}/complain/")
    assert page.locator(".govuk-generic-header").inner_text().strip() == sc.header
    resident.accessible()
    page.get_by_role("button", name="Start now").click()
    if empty_first:  # the first question sent with no answer: its error page
        first = resident.step()
        resident.accessible()
        resident.continue_()
        assert resident.step() == first
        resident.error_state("Select")
    asked = []
    for _ in range(20):
        step = resident.step()
        if step == "check":
            break
        asked.append(step)
        if not (empty_first and len(asked) == 1):
            resident.accessible()
        answer(resident, step, sc, anonymous, files)
        resident.continue_()
    assert resident.step() == "check", asked
    assert_title_starts(page, "Check your answers")
    summary = page.locator(".govuk-summary-list").first.inner_text()
    assert "Wednesday 20 May 2026" in summary
    if sc.representative:
        assert "Sam Smith" in summary and "consent.pdf" in summary
    if sc.evidence:
        assert "photo.png" in summary
    resident.accessible()
    resident.button("Send complaint")
    title = page.locator(".govuk-panel__title").inner_text()
    assert title == ("Logged as a service request" if anonymous else "Complaint received")
    resident.accessible()
    return page.locator("#reference").inner_text(), asked


# --- after sending --------------------------------------------------------------------------------
def answer_stage1(case, officer):
    """Officers take the case to Stage 1, acknowledge it and send their response (a week later)."""
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-06-02T09:00"))
    return complaint_respond(complaint=case, by=officer, at=london("2026-06-08T15:00"),
                             details=ResponseDetails(outcome="not_upheld", findings="The bins were collected."))


def position(resident: Resident) -> str:
    return resident.page.locator("#position").inner_text()


def escalate(resident: Resident, sc: Scenario) -> None:
    page = resident.page
    page.get_by_role("link", name=f"Ask for {sc.next_stage}", exact=True).click()
    assert page.locator("h1").inner_text() == f"Ask for {sc.next_stage}"
    resident.accessible()
    resident.button(f"Ask for {sc.next_stage}")
    resident.error_state("Tell us why you are unhappy with our response")
    page.get_by_label("Why are you unhappy with our response?").fill("You did not look at my photos.")
    resident.button(f"Ask for {sc.next_stage}")
    assert position(resident) == sc.next_stage
    assert f"You have asked for {sc.next_stage}" in page.locator(".govuk-notification-banner").inner_text()
    resident.accessible()


def withdraw(resident: Resident) -> None:
    page = resident.page
    page.get_by_role("link", name="Withdraw your complaint").click()
    resident.accessible()
    resident.button("Withdraw complaint")
    resident.error_state("Confirm that you want to withdraw your complaint")
    page.get_by_label("I want to withdraw my complaint").check()
    page.get_by_label("Tell us why (optional)").fill("The bins were collected in the end.")
    resident.button("Withdraw complaint")
    assert position(resident) == "Withdrawn"
    assert "You have withdrawn your complaint" in page.locator(".govuk-notification-banner").inner_text()
    resident.accessible()


# --- the journeys ---------------------------------------------------------------------------------
@pytest.fixture
def evidence_files(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    consent = tmp_path / "consent.pdf"
    consent.write_bytes(b"%PDF-1.4\n% signed permission from Sam Smith\n%%EOF\n")
    return {"evidence": photo, "consent": consent}


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def resident(request, browser, page, live_server):
    """The resident's page: ``page`` itself, or a page of a context with JavaScript off (``page`` runs axe)."""
    if request.param:
        resident = Resident(page)
    else:
        context = browser.new_context(java_script_enabled=False)
        request.addfinalizer(context.close)
        resident = Resident(context.new_page(), axe_page=page)
        page.goto(live_server.url + "/")  # the site whose pages axe is given
        resident.page.goto(live_server.url + "/")
        assert "govuk-frontend-supported" not in resident.page.locator("body").get_attribute("class")
    resident.base = live_server.url
    return resident


@pytest.mark.parametrize("sc", SCENARIOS, ids=[sc.council for sc in SCENARIOS])
def test_a_resident_complains_follows_escalates_and_withdraws(sc, resident, monkeypatch, loaded_policies,
                                                              evidence_files):
    started = time.perf_counter()
    fix_clock(monkeypatch, FIXED_NOW)
    service_area(sc.council, sc.area)
    service_area(sc.council, "Council tax")
    page = resident.page

    if sc.anonymous_first:
        reference, asked = send_complaint(resident, sc, evidence_files, anonymous=True)
        assert "contact" not in asked
        assert page.locator(".govuk-panel__title").inner_text() == "Logged as a service request"
        case = Complaint.objects.get(reference=reference)
        assert (case.is_anonymous, case.state) == (True, State.SERVICE_REQUEST)
        assert deliver_emails() == 0 and mail.outbox == []  # no one to write to, and no link to follow
        assert "private link" not in page.locator("main").inner_text()

    reference, asked = send_complaint(resident, sc, evidence_files, empty_first=not sc.anonymous_first)
    assert reference == f"{sc.prefix}-2026-{2 if sc.anonymous_first else 1:05d}"
    case = Complaint.objects.get(reference=reference)
    assert (case.state, case.is_anonymous, case.complainant.email) == (State.NEW, False, "alex@example.org")
    attachments = sorted(case.correspondence.filter(direction="in").values_list("attachments__original_name",
                                                                              flat=True))
    assert attachments == sorted([*(["photo.png"] if sc.evidence else []),
                                  *(["consent.pdf"] if sc.representative else [])])
    if sc.representative:
        assert ("representative" in asked and "consent" in asked and "anonymous" not in asked)
        assert (case.complainant.name, case.representative_name, case.consent) == ("Sam Smith", "Jo Smith",
                                                                                  Consent.RECEIVED)

    # The private link in the acknowledgement email (queued with the complaint, sent by the worker).
    assert deliver_emails() == 1
    assert len(mail.outbox) == 1 and reference in mail.outbox[0].subject
    link = re.search(rf"http://\S+/{sc.council}/track/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    assert position(resident) == "Received"
    resident.accessible()

    # Officers answer it at Stage 1; a few days later the resident asks for the next stage.
    answer_stage1(case, staff(sc.council))
    fix_clock(monkeypatch, london("2026-06-10T10:00"))
    page.reload()
    assert position(resident).endswith(": we have responded")
    resident.accessible()
    escalate(resident, sc)
    case.refresh_from_db()
    assert (case.state, case.stage) == (State.STAGE2, "stage2")

    # Another case of theirs, which they withdraw.
    other = make_complaint(sc.council, "2026-06-05T10:00")
    token = tracking_token_issue(complaint=other, now=london("2026-06-05T10:00"))
    page.goto(f"{resident.base}/{sc.council}/track/{token}/")
    assert position(resident) == "Received"
    resident.accessible()
    withdraw(resident)
    other.refresh_from_db()
    assert other.state == State.WITHDRAWN

    elapsed = time.perf_counter() - started
    # Reported, not asserted (a busy machine would make a time limit flaky): see ``-s`` or ``--durations``.
    print(f"\n{sc.council} ({'JavaScript' if resident.javascript else 'no JavaScript'}): "
          f"{len(resident.checked)} pages checked with axe in {elapsed:.1f}s, axe {resident.axe_seconds:.1f}s")
