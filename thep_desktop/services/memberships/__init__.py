"""Memberships: members, their periods of membership, fee schedules, fees and votes."""
