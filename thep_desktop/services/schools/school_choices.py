"""The choices the forms and filters offer for a school's phase, type, Ofsted grade and contacts."""

# Suggestions offered in the forms and the quick filters; other values are allowed because
# GIAS adds types from time to time.
PHASES = (
    "Nursery",
    "Primary",
    "Middle deemed primary",
    "Secondary",
    "Middle deemed secondary",
    "All-through",
    "16 plus",
    "Not applicable",
)
ESTABLISHMENT_TYPES = (
    "Community school",
    "Voluntary aided school",
    "Voluntary controlled school",
    "Foundation school",
    "Local authority nursery school",
    "Community special school",
    "Foundation special school",
    "Pupil referral unit",
    "Academy converter",
    "Academy sponsor led",
    "Free schools",
    "Academy special converter",
    "Academy special sponsor led",
    "Free schools special",
    "Academy alternative provision converter",
    "Academy alternative provision sponsor led",
    "Free schools alternative provision",
    "Free schools 16 to 19",
    "Academy 16-19 converter",
    "Further education",
    "Other independent school",
)
OFSTED_GRADES = (
    "Outstanding",
    "Good",
    "Requires improvement",
    "Inadequate",
    "Serious weaknesses",
    "Special measures",
    "Not yet inspected",
)
CONTACT_ROLES = (
    "Head teacher",
    "School business manager",
    "Chair of governors",
    "Deputy head teacher",
    "Office manager",
    "SENCO",
    "Clerk to governors",
)
