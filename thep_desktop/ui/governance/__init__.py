"""The Governance tab: bodies and people, meetings, actions, the register of directors."""
