"""What the peer reviews area lets each role do."""

from thep_desktop.domain.roles import Role
from thep_desktop.services.shared.permissions import Area, permission

MANAGE_REVIEWS = permission(
    "manage_reviews",
    "keep the clusters, schedule peer reviews, confirm them and record how they went",
    [Role.STAFF],
)
EDIT_TERM_DATES = permission(
    "edit_term_dates",
    "keep the term dates and the schools' closure days",
    [Role.STAFF],
)

PEER_REVIEWS_AREA = Area(
    "peer_reviews",
    (MANAGE_REVIEWS, EDIT_TERM_DATES),
    writes={
        "cluster": MANAGE_REVIEWS,
        "cluster_school": MANAGE_REVIEWS,
        "review_cycle": MANAGE_REVIEWS,
        "review": MANAGE_REVIEWS,
        "review_school": MANAGE_REVIEWS,
        "reviewer": MANAGE_REVIEWS,
        "term_dates": EDIT_TERM_DATES,
        "school_closure": EDIT_TERM_DATES,
    },
)
