"""Which Ombudsman, for every council and category, from the policy files."""

import pytest

from ombudsman.routing import ombudsman_suggest
from tests.factories import make_complaint, service_area

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("slug", "category", "ombudsman", "after"),
    [
        ("barnet", "council_services", "lgsco", "stage2"),
        ("barnet", "parking", "lgsco", "stage2"),  # no route: the policy default after the last stage
        ("lbbd", "council_services", "lgsco", "stage2"),
        ("lbbd", "social_housing", "housing", "stage2"),
        ("barnet-group", "social_housing", "housing", "stage2"),
        ("barnet-group", "homelessness", "lgsco", "panel"),
        ("barnet-group", "housing_allocations", "lgsco", "panel"),
        ("barnet-group", "adult_social_care", "lgsco", "stage2"),
        ("bucks", "council_services", "lgsco", "stage2"),
        ("brighton-hove", "council_services", "lgsco", "stage2"),
        ("brighton-hove", "social_housing", "housing", "stage2"),
    ],
)
def test_route_by_council_and_category(slug, category, ombudsman, after):
    area = service_area(slug, name=f"Area {category}", category=category)
    suggestion = ombudsman_suggest(complaint=make_complaint(slug, areas=[area]))
    assert (suggestion.contact.key, suggestion.after_stage) == (ombudsman, after)
    assert suggestion.reason  # says why, with the policy source


def test_lbbd_housing_suggestion_says_why():
    area = service_area("lbbd", name="Council homes repairs", category="social_housing")
    suggestion = ombudsman_suggest(complaint=make_complaint("lbbd", areas=[area]))
    assert suggestion.reason.startswith("social housing complaints go to the Housing Ombudsman Service after Review")


def test_barnet_group_eight_week_wait_is_flagged_as_out_of_date():
    area = service_area("barnet-group", name="Repairs", category="social_housing")
    suggestion = ombudsman_suggest(complaint=make_complaint("barnet-group", areas=[area]))
    assert len(suggestion.outdated) == 1
    assert "eight weeks" in suggestion.outdated[0] and "1 October 2022" in suggestion.outdated[0]


def test_policies_without_outdated_text_flag_nothing():
    assert ombudsman_suggest(complaint=make_complaint("bucks")).outdated == []
