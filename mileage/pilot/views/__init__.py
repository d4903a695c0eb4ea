"""Pilot pages: member, insurer, city, and the FAQ (split by audience)."""
