"""Peer reviews: clusters, term dates, review cycles, the schedule and its documents."""
