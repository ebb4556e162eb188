"""The Governance windows: bodies and their people, meetings, actions and registers."""
