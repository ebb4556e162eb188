"""The annual report to the Advisory Council: its plain data, its PDF and its xlsx appendix."""
