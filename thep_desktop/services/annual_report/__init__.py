"""The annual report to the Advisory Council: its narrative per year, its figures, its files."""
