"""Refdesk: the domain behind the Chalice handlers in app.py."""
