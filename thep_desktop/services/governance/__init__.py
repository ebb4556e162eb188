"""Governance: bodies, people and appointments, meetings, minutes, decisions and actions."""
