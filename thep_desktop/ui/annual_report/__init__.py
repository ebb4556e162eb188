"""The annual report to the Advisory Council: its window."""
