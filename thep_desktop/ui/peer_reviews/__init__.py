"""The Peer reviews windows: clusters, term dates, cycles, reviews and their status."""
