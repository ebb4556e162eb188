"""The Governance tab: boards and councils, their people, meetings, actions and compliance."""
