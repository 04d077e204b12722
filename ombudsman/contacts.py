"""The Ombudsmen a complainant can go to, as data, and which one a policy sends a case to.

Contact details are the Ombudsmen's own published ones. Which Ombudsman, and
after which stage, comes from the council's policy file (``[ombudsman]`` and
its ``routes``): nothing here knows about any particular council.
"""

from __future__ import annotations

from dataclasses import dataclass

from policies.schema import Policy


@dataclass(frozen=True)
class OmbudsmanContact:
    key: str
    name: str
    short_name: str
    website: str
    phone: str
    when_to_go: str


CONTACTS: dict[str, OmbudsmanContact] = {
    "lgsco": OmbudsmanContact(
        key="lgsco",
        name="Local Government and Social Care Ombudsman",
        short_name="LGSCO",
        website="www.lgo.org.uk",
        phone="0300 061 0614",
        when_to_go="Looks at complaints about councils and adult social care providers, usually once the "
                   "council's own complaints procedure has finished.",
    ),
    "housing": OmbudsmanContact(
        key="housing",
        name="Housing Ombudsman Service",
        short_name="Housing Ombudsman",
        website="www.housing-ombudsman.org.uk",
        phone="0300 111 3000",
        when_to_go="Looks at complaints about social housing landlords; residents can go to it directly once "
                   "the landlord's complaints procedure has finished.",
    ),
}


@dataclass(frozen=True)
class OmbudsmanRouting:
    """The Ombudsman for one category of complaint under one policy.

    ``after_stage`` is the stage after which the policy sends the complainant
    there; ``None`` when no route names the category and the policy's default
    applies (after the last stage the case can use).
    """

    contact: OmbudsmanContact
    category: str
    after_stage: str | None
    text: str
    source: str
    is_default: bool

    @property
    def key(self) -> str:
        return self.contact.key


def ombudsman_contact(key: str) -> OmbudsmanContact:
    return CONTACTS[key]


def has_route(policy: Policy, category: str) -> bool:
    return any(route.category == category for route in policy.ombudsman.routes)


def ombudsman_for(policy: Policy, category: str) -> OmbudsmanRouting:
    """The policy's route for a service-area category, or its default Ombudsman."""
    for route in policy.ombudsman.routes:
        if route.category == category:
            return OmbudsmanRouting(contact=CONTACTS[route.ombudsman], category=category,
                                    after_stage=route.after_stage, text=route.text, source=route.source,
                                    is_default=False)
    return OmbudsmanRouting(contact=CONTACTS[policy.ombudsman.default], category=category, after_stage=None,
                            text="", source=policy.ombudsman.source, is_default=True)
