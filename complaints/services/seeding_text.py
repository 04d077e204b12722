"""Words for demo data: service areas per council, people, summaries, findings, notes, feedback.

Plain lists, drawn from with a seeded ``random.Random`` so the same seed
gives the same words. Nothing here touches the database.
"""

from __future__ import annotations

# (name, routing category) per council slug; any other council gets DEFAULT_AREAS.
SERVICE_AREAS: dict[str, list[tuple[str, str]]] = {
    "barnet": [
        ("Waste and recycling", "council_services"),
        ("Parking and permits", "council_services"),
        ("Council tax", "council_services"),
        ("Highways and street lighting", "council_services"),
        ("Planning and building control", "council_services"),
        ("Libraries", "council_services"),
    ],
    "lbbd": [
        ("Waste and street cleansing", "council_services"),
        ("Council tax and benefits", "council_services"),
        ("Parking", "council_services"),
        ("Housing repairs", "social_housing"),
        ("Tenancy and estate management", "social_housing"),
        ("Homelessness and housing advice", "homelessness"),
    ],
    "barnet-group": [
        ("Tenancy management", "social_housing"),
        ("Repairs and maintenance", "social_housing"),
        ("Leasehold services", "social_housing"),
        ("Homelessness and temporary accommodation", "homelessness"),
        ("Housing register and allocations", "housing_allocations"),
        ("Your Choice Barnet care services", "adult_social_care"),
    ],
    "bucks": [
        ("Waste and recycling", "council_services"),
        ("Highways and transport", "council_services"),
        ("Planning and building control", "council_services"),
        ("Council tax", "council_services"),
        ("Libraries and culture", "council_services"),
    ],
    "brighton-hove": [
        ("City Clean", "council_services"),
        ("Parking", "council_services"),
        ("Council tax", "council_services"),
        ("Housing repairs", "social_housing"),
        ("Tenancy services", "social_housing"),
        ("Temporary accommodation", "homelessness"),
    ],
}
DEFAULT_AREAS = [("Customer services", "council_services"), ("Waste and recycling", "council_services")]

SUMMARIES: dict[str, list[str]] = {
    "council_services": [
        "Bins not collected for three weeks running",
        "Parking fine issued while a valid permit was displayed",
        "Council tax bill sent to the wrong address",
        "Pothole reported twice and still not repaired",
        "No reply to emails about a planning enforcement concern",
        "Street light outside the house broken for two months",
        "Assisted bin collection stopped without notice",
        "Overcharged for a garden waste subscription",
        "Rude response from the contact centre",
        "Library fines applied after the books were returned",
    ],
    "social_housing": [
        "Damp and mould in the bedroom not dealt with",
        "Repair appointment missed three times",
        "Heating and hot water out for a week",
        "Service charge increased without explanation",
        "Anti-social behaviour report not followed up",
        "Leak from the flat above damaging the ceiling",
        "Communal door entry system broken for a month",
    ],
    "homelessness": [
        "Temporary accommodation is far from the children's school",
        "No decision on a homelessness application after eight weeks",
        "Temporary accommodation has no working cooker",
        "Personal housing plan never sent",
    ],
    "housing_allocations": [
        "Housing register banding is wrong after a medical assessment",
        "Bid for a property refused without a reason",
        "Housing register application lost",
    ],
    "adult_social_care": [
        "Carers arrived late or not at all",
        "Day centre place withdrawn without consultation",
        "Care charges calculated incorrectly",
    ],
}

DESIRED_OUTCOMES = [
    "An apology and the problem fixed.", "The charge refunded.", "A firm date for the repair.",
    "An explanation of what went wrong.", "Compensation for the time and distress.",
    "A named officer to keep me updated.", "The decision reviewed.",
]

FIRST_NAMES = [
    "Amelia", "Oliver", "Aisha", "Mohammed", "Grace", "Jack", "Priya", "Harry", "Chloe", "Tomasz",
    "Fatima", "George", "Sophie", "Kwame", "Emily", "Daniel", "Zara", "Liam", "Hannah", "Yusuf",
    "Olivia", "Ravi", "Isla", "Samuel", "Niamh", "Adebayo", "Ruby", "Connor", "Mei", "Stanislaw",
]
LAST_NAMES = [
    "Smith", "Khan", "Jones", "Patel", "Williams", "Brown", "Okafor", "Taylor", "Ahmed", "Wilson",
    "Evans", "Nowak", "Thomas", "Begum", "Roberts", "Walker", "Mensah", "Wright", "Hussain", "Green",
    "O'Brien", "Clarke", "Singh", "Hall", "Kowalski", "Lewis", "Chen", "Adeyemi", "Murphy", "Hughes",
]
STREETS = [
    "High Street", "Station Road", "Church Lane", "Park Avenue", "Victoria Road", "Mill Lane",
    "The Crescent", "Queens Road", "Manor Way", "Kings Close", "Elm Grove", "Albert Street",
]
TOWNS: dict[str, tuple[str, str]] = {
    "barnet": ("London", "N"), "lbbd": ("Dagenham", "RM"), "barnet-group": ("London", "NW"),
    "bucks": ("Aylesbury", "HP"), "brighton-hove": ("Brighton", "BN"),
}
COMPLAINANT_TYPES = ["resident", "resident", "resident", "tenant", "leaseholder", "business"]
HOUSING_TYPES = ["tenant", "tenant", "leaseholder", "resident"]
PANEL_TYPES = ["applicant", "resident"]  # the Panel excludes tenants and leaseholders
ADJUSTMENTS = [
    "Large print letters please.", "Prefers phone calls in the afternoon.",
    "Needs a British Sign Language interpreter for meetings.", "Please use plain English; dyslexia.",
]
REPRESENTATIVES = [
    ("relative", "Daughter"), ("relative", "Son"), ("relative", "Husband"), ("advocate", "Advocate"),
    ("friend", "Friend"), ("mp", "Member of Parliament"), ("councillor", "Ward councillor"),
]

FINDINGS = {
    "upheld": "We looked into what happened and agree that the service fell short of the standard you should expect.",
    "partly_upheld": "Some of what you raised is right: part of the service fell short, but we did act correctly "
                     "on the other points.",
    "not_upheld": "We looked carefully at the records and found that the service acted in line with its policy.",
}
REMEDY_ACTIONS = [
    "Repair booked with a confirmed appointment.", "Account corrected and the overcharge refunded.",
    "Staff briefing on handling calls.", "Process changed so reminders go out before charges.",
]
LEARNING = [
    "Check the case history before replying.", "Confirm appointments in writing.",
    "Escalate repeat reports to a supervisor.", "Keep the complainant updated weekly.",
]
NOTES = [
    "Called the complainant to clarify what they want to happen.",
    "Asked the service for its records of the visits.",
    "Service manager confirmed the facts; drafting the response.",
    "Complainant sent photographs by email; saved to the case.",
    "Left a voicemail; will try again tomorrow.",
    "Checked the previous complaints from this address.",
]
HOLD_REASONS = [
    "Waiting for the complainant's documents.", "Waiting for the contractor's report.",
    "Complainant in hospital; agreed to pause.",
]
WITHDRAW_REASONS = ["Complainant says the problem is now sorted.", "Complainant no longer wishes to pursue it."]
DISCRETION = [
    "Accepted late: the complainant was unwell at the time.",
    "Accepted late: the matter is ongoing and still affects the complainant.",
]
ESCALATION_DISCRETION = "Accepted after the window: the response letter went to an old address."

FEEDBACK = {
    "compliment": [
        "The crew went out of their way to help my elderly neighbour.", "Thank you for fixing the boiler so quickly.",
        "The officer on the phone was patient and kind.", "The new recycling service works really well.",
    ],
    "comment": [
        "The online form times out if you take too long.", "The waiting music on the phone line is very loud.",
        "Letters would be clearer with a summary at the top.",
    ],
    "suggestion": [
        "Send a text the day before the collection.", "Add a map of the parking zones to the website.",
        "Open the library later on Thursdays.",
    ],
}
