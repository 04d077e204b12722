"""Every page of the form: a clear, specific GOV.UK error per field, and nothing typed is lost."""

from __future__ import annotations

import pytest

from complaints.models import Complaint
from tests.public.conftest import answers, date_parts

pytestmark = pytest.mark.django_db


def errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, response.status_code
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def on_page(resident, step: str, slug: str = "barnet", **overrides):
    """A resident who has answered every page before ``step``."""
    walker = resident(slug)
    assert walker.walk(answers(slug, **overrides), until=step).endswith(f"/{step}/")
    return walker


def test_an_invalid_page_shows_the_error_summary_linking_to_the_first_radio_and_an_error_title(resident):
    walker = resident("barnet")
    response = walker.post("kind", {})
    html = response.content.decode()
    assert errors(response) == {"kind": ["Select what you would like to do"]}
    assert "<title>Error: What would you like to do? – Complaints</title>" in html
    assert '<a href="#id_kind_0">Select what you would like to do</a>' in html
    assert 'id="id_kind_error"' in html and 'aria-describedby="id_kind_error"' in html


@pytest.mark.parametrize(("step", "data", "expected"), [
    ("before", {}, {"before": ["Select whether you have already contacted us about this"]}),
    ("what", {"what_happened": "  "}, {"what_happened": ["Enter what happened"]}),
    ("what", {"what_happened": "x" * 5001}, {"what_happened": ["What happened must be 5,000 characters or fewer"]}),
    ("service", {}, {"service": ["Select the service your complaint is about"]}),
    ("service", {"service": "999999"}, {"service": ["Select the service your complaint is about"]}),
    ("outcome", {}, {"outcome": ["Enter what you would like us to do"]}),
    ("who", {}, {"who": ["Select who the complaint is for"]}),
    ("support", {}, {"needs": ["Select yes if you need any support or changes"]}),
    ("support", {"needs": "yes", "details": ""}, {"details": ["Tell us what support or changes you need"]}),
    ("anonymous", {}, {"give_details": ["Select yes if you want to give us your name and contact details"]}),
    ("anonymous", {"give_details": "no", "reason": ""}, {"reason": ["Tell us why you want to stay anonymous"]}),
])
def test_each_page_names_the_problem_with_each_field(resident, fixed_now, step, data, expected):
    walker = on_page(resident, step)
    assert errors(walker.post(step, data)) == expected


@pytest.mark.parametrize(("incident", "aware", "expected"), [
    (date_parts("incident", ""), {}, {"incident": ["Enter the date it happened"]}),
    ({"incident_day": "20", "incident_month": "5", "incident_year": ""}, {},
     {"incident": ["The date it happened must include a year"]}),
    ({"incident_day": "", "incident_month": "5", "incident_year": ""}, {},
     {"incident": ["The date it happened must include a day and year"]}),
    ({"incident_day": "31", "incident_month": "2", "incident_year": "2026"}, {},
     {"incident": ["The date it happened must be a real date"]}),
    ({"incident_day": "tenth", "incident_month": "2", "incident_year": "2026"}, {},
     {"incident": ["The date it happened must be a real date"]}),
    ({"incident_day": "1", "incident_month": "2", "incident_year": "26"}, {}, {"incident": ["Year must include 4 numbers"]}),
    (date_parts("incident", "2026-06-02"), {}, {"incident": ["The date it happened must be today or in the past"]}),
    (date_parts("incident", "2026-05-20"), date_parts("aware", "2026-05-19"),
     {"aware": ["The date you found out must be the same as or after the date it happened"]}),
    (date_parts("incident", "2026-05-20"), {"aware_day": "3", "aware_month": "", "aware_year": "2026"},
     {"aware": ["The date you found out must include a month"]}),
])
def test_the_date_page_uses_the_gov_uk_date_errors(resident, fixed_now, incident, aware, expected):
    walker = on_page(resident, "when")
    assert errors(walker.post("when", {**date_parts("aware", ""), **incident, **aware})) == expected


def test_a_wrong_date_keeps_what_was_typed_and_links_the_summary_to_the_day_box(resident, fixed_now):
    walker = on_page(resident, "when")
    html = walker.post("when", {"incident_day": "31", "incident_month": "2", "incident_year": "2026",
                                **date_parts("aware", "2026-03-04")}).content.decode()
    assert '<a href="#id_incident-day">The date it happened must be a real date</a>' in html
    assert 'id="id_incident-day" name="incident_day" type="text" inputmode="numeric" value="31"' in html
    assert 'name="incident_month" type="text" inputmode="numeric" value="2"' in html
    assert 'name="aware_day" type="text" inputmode="numeric" value="4"' in html
    assert html.count("govuk-input--error") == 3  # the three boxes of the wrong date only


def test_a_too_long_answer_is_kept_on_the_page(resident, fixed_now):
    walker = on_page(resident, "what")
    text = "A" * 5001
    assert f">\n{text}</textarea>" in walker.post("what", {"what_happened": text}).content.decode()


@pytest.mark.parametrize(("data", "expected"), [
    ({}, {"name": ["Enter your full name"], "preference": ["Select how you would like us to contact you"]}),
    ({"name": "Alex", "preference": "email"},
     {"email": ["Enter your email address, or choose another way to be contacted"]}),
    ({"name": "Alex", "preference": "email", "email": "alex-at-example"},
     {"email": ["Enter an email address in the correct format, like name@example.com"]}),
    ({"name": "Alex", "preference": "phone"},
     {"phone": ["Enter your phone number, or choose another way to be contacted"]}),
    ({"name": "Alex", "preference": "phone", "phone": "call me"},
     {"phone": ["Enter a phone number, like 01632 960 001 or 07700 900 982"]}),
    ({"name": "Alex", "preference": "letter", "email": "alex@example.org"},
     {"address": ["Enter your postal address, or choose another way to be contacted"]}),
])
def test_the_contact_page_asks_for_the_detail_the_chosen_way_needs(resident, fixed_now, data, expected):
    walker = on_page(resident, "contact")
    assert errors(walker.post("contact", data)) == expected


def test_contact_details_typed_are_kept_when_the_page_is_refused(resident, fixed_now):
    walker = on_page(resident, "contact")
    html = walker.post("contact", {"name": "Alex Resident", "email": "alex@example.org", "phone": "call me",
                                   "preference": "phone"}).content.decode()
    assert 'value="Alex Resident"' in html and 'value="alex@example.org"' in html and 'value="call me"' in html
    assert 'value="phone" id="id_preference_1" checked' in html


def test_representative_pages(resident, fixed_now):
    walker = on_page(resident, "role", who={"who": "someone_else"})
    assert errors(walker.post("role", {})) == {"role": ["Select how you are connected to them"]}
    assert walker.post("role", {"role": "relative"})["Location"] == "/barnet/complain/representative/"
    assert errors(walker.post("representative", {})) == {
        "person_name": ["Enter the full name of the person you're complaining for"],
        "your_name": ["Enter your full name"]}
    walker.post("representative", {"person_name": "Sam Smith", "your_name": "Jo Smith"})
    assert errors(walker.post("consent", {})) == {
        "declaration": ["Confirm that Sam Smith has given you permission to complain for them"]}


def test_the_late_page_needs_a_reason(resident, fixed_now):
    walker = on_page(resident, "late", when={**date_parts("incident", "2025-01-10"), **date_parts("aware", "")})
    assert errors(walker.post("late", {"reason": ""})) == {"reason": ["Tell us why you did not complain sooner"]}


def test_answers_are_kept_across_pages_and_shown_again_when_going_back(resident, fixed_now, client):
    walker = on_page(resident, "outcome")
    html = client.get("/barnet/complain/what/").content.decode()
    assert "Our bins have not been collected for three weeks.\nI reported it twice.</textarea>" in html
    html = client.get("/barnet/complain/when/").content.decode()
    assert 'name="incident_day" type="text" inputmode="numeric" value="20"' in html
    assert 'href="/barnet/complain/what/" class="govuk-back-link"' in html
    assert walker.visited[-1] == "service"


def test_a_page_cannot_be_skipped_to(resident, client):
    walker = resident("barnet")
    assert client.get("/barnet/complain/contact/")["Location"] == "/barnet/complain/kind/"
    assert client.get("/barnet/complain/check/")["Location"] == "/barnet/complain/kind/"
    assert client.get("/barnet/complain/nonsense/").status_code == 404
    assert walker.post("contact", {"name": "x"})["Location"] == "/barnet/complain/kind/"


def test_changing_an_answer_from_the_check_page_returns_to_it(resident, fixed_now, client):
    walker = resident("barnet")
    walker.walk(answers("barnet"))
    response = client.post("/barnet/complain/outcome/?change=1", {"outcome": "An apology."})
    assert response["Location"] == "/barnet/complain/check/"
    assert "An apology." in client.get("/barnet/complain/check/").content.decode()
    # A change that opens new questions goes to them first, then back to the check page.
    response = client.post("/barnet/complain/who/?change=1", {"who": "someone_else"})
    assert response["Location"] == "/barnet/complain/role/"


@pytest.mark.parametrize(("before", "says"), [
    ("first_time", "that's a request for a service. It's quicker to ask the service directly"),
    ("complained", "you do not need to make a new complaint. Use the link in the email we sent you"),
])
def test_a_first_contact_or_a_repeat_complaint_is_explained_before_continuing(resident, fixed_now, client,
                                                                             before, says):
    walker = resident("barnet")
    walker.walk(answers("barnet", before={"before": before}), until="what")
    assert walker.visited == ["kind", "before", "before-info"]
    assert says in client.get("/barnet/complain/before-info/").content.decode()
    assert Complaint.objects.count() == 0


def test_the_asked_before_answer_goes_straight_on(resident, fixed_now):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="what")
    assert walker.visited == ["kind", "before"]


def test_changing_who_the_complaint_is_for_asks_the_questions_that_depend_on_it_again(resident, fixed_now, client):
    walker = resident("barnet")
    walker.walk(answers("barnet", who={"who": "someone_else"}))
    assert "name" not in client.get("/barnet/complain/contact/").context["form"].fields
    assert client.post("/barnet/complain/who/?change=1", {"who": "myself"})["Location"] == \
        "/barnet/complain/anonymous/"
    assert client.post("/barnet/complain/anonymous/?change=1", {"give_details": "yes"})["Location"] == \
        "/barnet/complain/contact/"
    page = client.get("/barnet/complain/contact/")
    assert 'value="alex@example.org"' in page.content.decode()  # kept, pre-filled
    assert errors(client.post("/barnet/complain/contact/?change=1", {
        "email": "alex@example.org", "preference": "email"})) == {"name": ["Enter your full name"]}
    assert client.get("/barnet/complain/check/")["Location"] == "/barnet/complain/contact/"
