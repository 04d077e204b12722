"""factory_boy factories shared by the tests."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.core.management import call_command

from complaints.models import ServiceArea, StaffMember, StaffRole
from complaints.services.intake import ComplainantDetails, ComplaintDetails, complaint_create
from policies.models import Council



def council(slug: str) -> Council:
    if not Council.objects.filter(slug=slug).exists():
        call_command("load_policies", verbosity=0)
    return Council.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"officer{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")


def staff(slug: str, role: str = StaffRole.COMPLAINTS_OFFICER, **kwargs):
    user = UserFactory(**kwargs)
    StaffMember.objects.create(user=user, council=council(slug), role=role)
    return user


def service_area(slug: str, name: str = "Waste and recycling", category: str = "council_services") -> ServiceArea:
    area, _ = ServiceArea.objects.get_or_create(council=council(slug), name=name, defaults={"category": category})
    return area


def london(text: str) -> dt.datetime:
    """An aware datetime from ISO text (naive = London)."""
    from deadlines.calendar import LONDON

    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=LONDON)


def make_complaint(slug: str, received: str = "2026-06-01T10:00", *, areas=(), complainant_type: str = "resident",
                   representative=None, anonymous: bool = False, **details):
    details.setdefault("summary", "Bins not collected for three weeks")
    return complaint_create(
        council=council(slug),
        details=ComplaintDetails(service_area_ids=[a.pk for a in areas], **details),
        complainant=ComplainantDetails(name="" if anonymous else "Alex Resident", email="alex@example.org",
                                       complainant_type=complainant_type),
        received_at=london(received), representative=representative, anonymous=anonymous,
    )
