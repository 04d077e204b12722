"""The council's policy file drives the form: kinds of feedback, exclusions, anonymity,
representatives, time limits. Each test sets two councils side by side where they differ."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from complaints.models import Complaint, Consent, Feedback, State
from complaints.public.models import Submission
from policies.loader import policy_registry
from tests.public.conftest import answers, date_parts, deliver_emails

pytestmark = pytest.mark.django_db


def options(response, field: str) -> list[str]:
    return [label for _, label in response.context["form"].fields[field].choices]


# --- the home page and each body's start page ----------------------------------------------
def test_the_home_page_links_each_body_to_its_own_form(client, loaded_policies):
    html = client.get("/").content.decode()
    for slug, policy in policy_registry().items():
        assert f'href="/{slug}/complain/">{escape(policy.name)}</a>' in html


def test_the_start_page_is_branded_with_the_council_and_unknown_bodies_are_not_found(client, loaded_policies):
    html = client.get("/lbbd/complain/").content.decode()
    assert ('<a href="/lbbd/complain/" class="govuk-generic-header__homepage-link">'
            'London Borough of Barking and Dagenham</a>') in html
    assert "govuk-header__logotype" not in html
    assert client.get("/nowhere/complain/").status_code == 404


@pytest.mark.parametrize("slug", ["barnet", "lbbd", "barnet-group", "bucks", "brighton-hove"])
def test_the_start_page_lists_the_councils_own_exclusions_and_where_to_go_instead(client, loaded_policies, slug):
    html = client.get(f"/{slug}/complain/").content.decode()
    policy = policy_registry()[slug]
    assert "Things we cannot deal with through complaints, and where to go instead" in html
    listed = [(row.split('summary-list__key">')[1].split("</dt>")[0],
               row.split('summary-list__value">')[1].split("</dd>")[0])
              for row in html.split('<div class="govuk-summary-list__row">')[1:]]
    assert listed == [(escape(item.title), escape(item.signposting)) for item in policy.exclusions]


def test_exclusions_differ_by_council(client, loaded_policies):
    assert "Barnet Homes&#x27; housing management services" in client.get("/barnet/complain/").content.decode()
    assert "Barnet Homes" not in client.get("/bucks/complain/").content.decode()
    assert "Potential data incidents or data breaches" in client.get("/bucks/complain/").content.decode()


# --- feedback kinds -----------------------------------------------------------------------
@pytest.mark.parametrize(("slug", "offered"), [
    ("barnet", ["Make a complaint", "Pay a compliment", "Make a comment", "Make a suggestion"]),
    ("bucks", ["Make a complaint", "Pay a compliment", "Make a comment", "Make a suggestion"]),
    ("barnet-group", ["Make a complaint", "Pay a compliment", "Make a comment"]),
    ("brighton-hove", ["Make a complaint", "Pay a compliment"]),
])
def test_the_first_question_offers_only_the_kinds_the_policy_records(client, loaded_policies, slug, offered):
    assert client.get(f"/{slug}/complain/").context["start_url"] == f"/{slug}/complain/kind/"
    assert options(client.get(f"/{slug}/complain/kind/"), "kind") == offered


def test_a_complaints_only_policy_skips_the_question(client, loaded_policies):
    start = client.get("/lbbd/complain/")
    assert start.context["start_url"] == "/lbbd/complain/before/"
    assert "Use this service to make a complaint to London Borough of Barking and Dagenham." in \
        start.content.decode()
    assert client.get("/lbbd/complain/kind/")["Location"] == "/lbbd/complain/before/"


def test_a_kind_the_policy_does_not_record_is_refused(resident):
    walker = resident("brighton-hove")
    response = walker.post("kind", {"kind": "suggestion"})
    assert response.context["form"].errors == {"kind": ["Select what you would like to do"]}


def test_a_compliment_is_recorded_as_feedback_not_a_complaint(resident, fixed_now, client):
    walker = resident("barnet")
    given = answers("barnet", kind={"kind": "compliment"},
                    **{"feedback-contact": {"name": "Pat", "email": "pat@example.org"}})
    response = walker.send(given)
    assert walker.visited == ["kind", "feedback", "service", "feedback-contact"]
    assert response["Location"] == "/barnet/complain/done/"
    item = Feedback.objects.get()
    assert (item.kind, item.text, item.name, item.email, item.council.slug) == (
        "compliment", "The library staff were wonderful.", "Pat", "pat@example.org", "barnet")
    assert item.received_at == fixed_now
    assert Complaint.objects.count() == 0
    assert "Thank you for your compliment" in client.get("/barnet/complain/done/").content.decode()


# --- anonymous contacts ---------------------------------------------------------------------
def test_bucks_logs_an_anonymous_complaint_as_a_service_request_and_says_so(resident, fixed_now, client,
                                                                            mailoutbox):
    walker = resident("bucks")
    walker.walk(answers("bucks", anonymous={"give_details": "no"}))
    assert "contact" not in walker.visited
    hint = client.get("/bucks/complain/anonymous/").context["form"].fields["give_details"].help_text
    assert hint == ("Buckinghamshire County Council does not investigate anonymous complaints. If you do not give "
                    "your name and contact details, we will log what you tell us as a service request instead, "
                    "unless it raises wider concerns we can look into without asking you anything else. We cannot "
                    "reply to you.")
    check = client.get("/bucks/complain/check/").content.decode()
    assert "we will log this as a service request, not a complaint." in check
    client.post("/bucks/complain/check/", {"key": client.get("/bucks/complain/check/").context["key"]})
    case = Complaint.objects.get()
    assert (case.is_anonymous, case.state, case.complainant.name, case.complainant.email) == (
        True, State.SERVICE_REQUEST, "", "")
    done = client.get("/bucks/complain/done/").content.decode()
    assert '<h1 class="govuk-panel__title">Logged as a service request</h1>' in done
    assert "We have logged what you told us as a service request" in done
    assert "When we will reply" not in done
    assert deliver_emails() == 0 and mailoutbox == [] and not case.correspondence.exists()


def test_barnet_takes_anonymous_complaints_only_in_exceptional_cases_and_asks_why(resident, fixed_now, client):
    walker = resident("barnet")
    walker.send(answers("barnet", anonymous={"give_details": "no", "reason": "I fear losing my tenancy."}))
    hint = client.get("/barnet/complain/").context["anonymous_message"]
    assert hint.startswith("Barnet Council only looks into anonymous complaints in exceptional circumstances, case "
                           "by case.")
    case = Complaint.objects.get()
    assert (case.is_anonymous, case.state) == (True, State.NEW)
    assert case.complainant_words.endswith("Why I want to stay anonymous: I fear losing my tenancy.")


def test_a_policy_that_is_silent_on_anonymity_does_not_ask_for_a_reason(resident, fixed_now):
    walker = resident("lbbd")
    walker.walk(answers("lbbd"), until="anonymous")
    response = walker.post("anonymous", {"give_details": "no"})
    assert response["Location"] == "/lbbd/complain/evidence/"


# --- people complaining for someone else ----------------------------------------------------
LBBD_ROUTE = ("A Member of Parliament or Councillor cannot make a formal complaint on a constituent's behalf; the "
              "Council has a separate process for residents who escalate their issues through their MP or "
              "Councillor (section 7).")


@pytest.mark.parametrize("role", ["mp", "councillor"])
def test_lbbd_tells_an_mp_or_councillor_about_the_separate_route_instead_of_continuing(resident, client, role):
    walker = resident("lbbd")
    walker.walk(answers("lbbd", who={"who": "someone_else"}), until="role")
    response = walker.post("role", {"role": role})
    assert response["Location"] == "/lbbd/complain/cannot-continue/"
    page = client.get("/lbbd/complain/cannot-continue/")
    assert page.context["route"] == LBBD_ROUTE
    assert f'<div class="govuk-inset-text" id="separate-route">{escape(LBBD_ROUTE)}</div>' in page.content.decode()
    # Nothing after the question can be reached, and nothing can be sent.
    assert client.get("/lbbd/complain/representative/")["Location"] == "/lbbd/complain/check/"
    assert client.get("/lbbd/complain/check/")["Location"] == "/lbbd/complain/cannot-continue/"
    key = client.session["public:lbbd"]["key"]
    assert client.post("/lbbd/complain/check/", {"key": key})["Location"] == "/lbbd/complain/cannot-continue/"
    assert Complaint.objects.count() == 0 and Submission.objects.count() == 0


def test_the_barnet_group_lets_an_mp_complain_for_a_tenant(resident):
    walker = resident("barnet-group")
    walker.walk(answers("barnet-group", who={"who": "someone_else"}), until="role")
    assert walker.post("role", {"role": "mp"})["Location"] == "/barnet-group/complain/representative/"


def test_lbbd_asks_for_written_signed_permission_and_holds_the_case_without_it(resident, fixed_now, client):
    walker = resident("lbbd")
    given = answers("lbbd", who={"who": "someone_else"})
    walker.walk(given, until="consent")
    consent = client.get("/lbbd/complain/consent/")
    assert consent.context["form"].fields["declaration"].label == (
        "I confirm that Sam Smith has given me written, signed permission to make this complaint for them")
    assert "consent_file" in consent.context["form"].fields
    walker.send(given)
    case = Complaint.objects.get()
    assert (case.complainant.name, case.representative_name, case.representative_role,
            case.representative_relationship, case.consent) == (
        "Sam Smith", "Jo Smith", "relative", "Daughter", Consent.REQUESTED)
    assert "We need written, signed permission from Sam Smith before we can continue." in \
        client.get("/lbbd/complain/done/").content.decode()


def test_lbbd_signed_permission_uploaded_is_kept_with_the_case(resident, fixed_now, client, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    walker = resident("lbbd")
    given = answers("lbbd", who={"who": "someone_else"})
    walker.walk(given, until="consent")
    signed = SimpleUploadedFile("consent.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    assert walker.post("consent", {"declaration": "on", "consent_file": signed})["Location"] == \
        "/lbbd/complain/support/"
    walker.send(given)
    case = Complaint.objects.get()
    assert case.consent == Consent.RECEIVED
    assert case.consent_evidence == "Written, signed permission uploaded with the online form (consent.pdf)"
    item = case.correspondence.get(subject="Written, signed permission from the person complained for")
    assert item.attachments.get().original_name == "consent.pdf"


def test_barnet_takes_a_declaration_of_consent_without_an_upload(resident, fixed_now, client):
    walker = resident("barnet")
    given = answers("barnet", who={"who": "someone_else"})
    walker.walk(given, until="consent")
    assert "consent_file" not in client.get("/barnet/complain/consent/").context["form"].fields
    walker.send(given)
    case = Complaint.objects.get()
    assert (case.consent, case.consent_evidence) == (Consent.RECEIVED,
                                                     "Declared on the online form by the representative")


# --- time limits ----------------------------------------------------------------------------
def test_an_out_of_time_complaint_is_accepted_flagged_and_the_resident_is_told(resident, fixed_now, client):
    walker = resident("lbbd")
    given = answers("lbbd", when={**date_parts("incident", "2025-05-29"), **date_parts("aware", "")})
    walker.walk(given, until="late")
    late = client.get("/lbbd/complain/late/").content.decode()
    assert ("We ask people to complain within 12 months of when it happened. From the dates you gave us, the last "
            "day to complain was <strong>Friday 29 May 2026</strong>.") in late
    assert "A complaints officer will decide whether we can look into it" in late
    walker.send(given)
    case = Complaint.objects.get()
    assert case.out_of_time is True
    assert "Why I did not complain sooner: I was in hospital." in case.complainant_words
    done = client.get("/lbbd/complain/done/").content.decode()
    assert ("We have still received your complaint, and a complaints officer will decide whether we can look into "
            "it.") in done


def test_a_complaint_on_the_last_day_is_in_time(resident, fixed_now):
    walker = resident("lbbd")
    walker.send(answers("lbbd", when={**date_parts("incident", "2025-06-01"), **date_parts("aware", "")}))
    assert "late" not in walker.visited
    assert Complaint.objects.get().out_of_time is False


def test_the_time_limit_counts_from_when_the_policy_says(resident, fixed_now):
    """Bucks counts 12 months from awareness, Barnet from the incident: the same dates differ."""
    when = {**date_parts("incident", "2024-01-10"), **date_parts("aware", "2026-05-01")}
    bucks = resident("bucks")
    bucks.walk(answers("bucks", when=when))
    assert "late" not in bucks.visited
    barnet = resident("barnet")
    barnet.walk(answers("barnet", when=when))
    assert "late" in barnet.visited
