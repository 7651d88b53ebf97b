"""What the demo forums say: their proposals (title, category, cost, status and text,
per neighbourhood) and the comments of their debates. Seeded by demo/forums.py."""

from __future__ import annotations

from forums.models import ProposalStatus

S = ProposalStatus

PROPOSALS = {
    "old-mill": [
        (
            "Safer crossing outside Mill Lane school",
            "transport",
            18000,
            S.SHORTLISTED,
            "A zebra crossing with build-outs where children cross to the primary school.",
        ),
        (
            "Pocket park on the old coal yard",
            "environment",
            22000,
            S.SHORTLISTED,
            "Turn the fenced-off coal yard into a small park with trees, benches and a water fountain.",
        ),
        (
            "Youth club evenings at the mill",
            "youth",
            9500,
            S.SHORTLISTED,
            "Two evenings a week of supervised activities for 11–17 year olds in the mill's community room.",
        ),
        (
            "Community health walks and benches",
            "health-care",
            6000,
            S.SHORTLISTED,
            "Led walks twice a week with the surgery's social prescriber, and benches every 200 m on the route.",
        ),
        (
            "Defibrillator at the corner shop",
            "health-care",
            2500,
            S.SHORTLISTED,
            "A public-access defibrillator in a heated cabinet, with free training sessions.",
        ),
        (
            "Social prescribing garden at the surgery",
            "health-care",
            4000,
            S.SHORTLISTED,
            "Raised beds and a shed behind the surgery, where the social prescriber runs gardening sessions for patients.",
        ),
        (
            "Repair café kit and tools",
            "environment",
            3200,
            S.SHORTLISTED,
            "Tools, a sewing machine and PAT testing so volunteers can run a monthly repair café.",
        ),
        (
            "Mill heritage trail signs",
            "culture",
            7800,
            S.SHORTLISTED,
            "Eight illustrated signs telling the story of the mill and its workers.",
        ),
        (
            "Brighter lighting on the towpath link",
            "community-safety",
            12500,
            S.SHORTLISTED,
            "Low-glare LED lighting on the unlit path from the canal to Mill Street.",
        ),
        (
            "Street trees on Weaver Row",
            "environment",
            14000,
            S.PUBLISHED,
            "Twelve street trees with tree pits that take rainwater off the road.",
        ),
        (
            "Skate spot by the playing field",
            "youth",
            24000,
            S.PUBLISHED,
            "A small concrete skate spot designed with local young people.",
        ),
        (
            "Bus shelter with seating on Mill Street",
            "transport",
            8500,
            S.UNDER_REVIEW,
            "Replace the pole stop with a shelter and seats.",
        ),
        (
            "Bigger bins for the high street",
            "environment",
            4000,
            S.REJECTED,
            "Larger litter bins along the shops.",
        ),
    ],
    "canal-side": [
        (
            "Towpath resurfacing near the locks",
            "transport",
            20000,
            S.SHORTLISTED,
            "Resurface 300 m of muddy towpath so it can be used all year.",
        ),
        (
            "Floating reed beds",
            "environment",
            11000,
            S.SHORTLISTED,
            "Reed beds to clean the canal water and give wildlife a home.",
        ),
        (
            "Boatyard youth sailing taster days",
            "youth",
            6500,
            S.SHORTLISTED,
            "Free sailing and paddleboard taster days for local teenagers.",
        ),
        (
            "Canal Side community noticeboards",
            "culture",
            1800,
            S.PUBLISHED,
            "Three weatherproof noticeboards for events and news.",
        ),
        (
            "Cycle parking at the new flats",
            "transport",
            5200,
            S.SUBMITTED,
            "Secure cycle hoops for residents and visitors.",
        ),
    ],
    # Castle Green's vote is collecting supports: these are published, waiting for
    # residents to say which they want on the ballot (demo/ballots.py).
    "castle-green": [
        (
            "Castle Green play area resurfacing",
            "youth",
            12000,
            S.PUBLISHED,
            "Replace the worn bark under the swings with a safe, level surface.",
        ),
        (
            "Wildflower verges on Keep Road",
            "environment",
            3500,
            S.PUBLISHED,
            "Sow native wildflowers on the grass verges and mow them twice a year.",
        ),
        (
            "Lighting on the castle footpath",
            "community-safety",
            9000,
            S.PUBLISHED,
            "Low, warm lamps along the path from the bus stop to the estate.",
        ),
        (
            "Chair exercise classes at the hall",
            "health-care",
            2800,
            S.PUBLISHED,
            "A year of weekly seated exercise for older residents, with tea after.",
        ),
        (
            "Cycle racks by the shops",
            "transport",
            1800,
            S.PUBLISHED,
            "Twelve covered racks outside the parade of shops on Castle Street.",
        ),
        (
            "Oral history of the castle estate",
            "culture",
            4200,
            S.PUBLISHED,
            "Record older residents' memories and publish them with old photographs.",
        ),
        (
            "Youth club kitchen refit",
            "youth",
            7500,
            S.PUBLISHED,
            "A working kitchen so the youth club can run cooking sessions.",
        ),
        (
            "Bulb planting on the green",
            "environment",
            1200,
            S.PUBLISHED,
            "Daffodils and crocuses planted by schoolchildren each autumn.",
        ),
    ],
    "riverside-north": [
        (
            "GP surgery waiting room garden",
            "health-care",
            9000,
            S.SHORTLISTED,
            "A calm garden residents can wait in, planted by volunteers.",
        ),
        (
            "Ring road underpass murals",
            "culture",
            7000,
            S.SHORTLISTED,
            "Local artists and schools paint the grey underpass.",
        ),
        (
            "Estate football kit library",
            "youth",
            3000,
            S.SHORTLISTED,
            "Borrowable football boots and kit for children.",
        ),
    ],
    # Ward-wide and district-wide budgets have forums of their own.
    "millbrook-ward": [
        (
            "Millbrook youth bus",
            "youth",
            14000,
            S.SHORTLISTED,
            "A minibus and driver hours so young people from every street in the ward reach the clubs at the mill.",
        ),
        (
            "Trees along the Millbrook",
            "environment",
            9000,
            S.SHORTLISTED,
            "Forty native trees planted with schools along the brook, with three years of watering.",
        ),
        (
            "Ward-wide defibrillator network",
            "health-care",
            6000,
            S.SHORTLISTED,
            "Four more public defibrillators so no home is more than five minutes from one.",
        ),
        (
            "Millbrook ward litter picks",
            "environment",
            2000,
            S.SHORTLISTED,
            "Grabbers, bags and hi-vis for monthly volunteer litter picks.",
        ),
    ],
    "eastbrook": [
        (
            "Eastbrook river path lighting",
            "community-safety",
            24000,
            S.SHORTLISTED,
            "Solar lighting on the riverside path between the two wards.",
        ),
        (
            "District community transport",
            "transport",
            20000,
            S.SHORTLISTED,
            "A dial-a-ride service for older residents to reach the market town.",
        ),
        (
            "Eastbrook arts festival",
            "culture",
            12000,
            S.SHORTLISTED,
            "A weekend festival of local music and art in Castle Green and Old Mill.",
        ),
        (
            "Warm spaces in libraries",
            "health-care",
            8000,
            S.SHORTLISTED,
            "Longer winter opening hours and hot drinks in the district's two libraries.",
        ),
    ],
}

DEBATE = [
    (
        "resident@example.org",
        "This crossing is badly needed. I watch kids dodge vans every morning.",
    ),
    (
        "neighbour@example.org",
        "Agreed, though build-outs might slow the buses. Has the council checked the route?",
    ),
    (
        "organiser@example.org",
        "Good question: highways checked the bus swept paths in the feasibility review, and the build-outs fit.",
    ),
    (
        "resident@example.org",
        "Thanks, that's reassuring. Could it be a zebra with a flashing beacon too?",
    ),
    ("neighbour@example.org", "Beacons are included in the costing, I believe."),
]


THREADS = [
    (
        "resident@example.org",
        "I would use this every week. It would make a real difference round here.",
    ),
    (
        "neighbour@example.org",
        "Is the upkeep included? I would hate to see it neglected in two years.",
    ),
    (
        "organiser@example.org",
        "Yes: every costing includes installation and two years' maintenance.",
    ),
    (
        "westmere@example.org",
        "We have something similar in Westmere and it works well. Worth it.",
    ),
]
