"""The writes to `tickets`: keeping a new connect ticket, and taking one, once."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DeleteError

from .models import ConnectTicket


def keep(ticket_hash: str, librarian: str, sign_in_key: str, expires_at: datetime) -> None:
    ConnectTicket(
        ticket=ticket_hash, librarian=librarian, sign_in_key=sign_in_key, expires_at=expires_at
    ).save(condition=ConnectTicket.ticket.does_not_exist())


def take(ticket_hash: str, now: datetime) -> ConnectTicket | None:
    """The ticket, deleted in the same request (a DeleteItem that returns the item, on
    condition that it exists and has not expired): of any number of connects racing with one
    ticket exactly one gets it. None for a ticket unknown, used or expired."""
    connection = ConnectTicket._get_connection()
    try:
        reply = connection.delete_item(
            ticket_hash,
            condition=ConnectTicket.ticket.exists() & (ConnectTicket.expires_at > now),
            return_values="ALL_OLD",
        )
    except DeleteError:
        return None
    item = reply.get("Attributes")
    return ConnectTicket.from_raw_data(item) if item else None
