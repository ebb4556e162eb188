"""``thep-admin report …``: the annual report to the Advisory Council."""
