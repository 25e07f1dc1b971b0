"""REST bodies and replies for the people who sign in: the staff list, invitations,
passwords and logging out."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints, model_validator

from .. import limits
from .base import Email, Inbound, Outbound, StaffName
from .shape import RootShape

# Not stripped: spaces are part of a password. Too short is bad_request, too long too_large.
Password = Annotated[str, StringConstraints(max_length=limits.PASSWORD_MAX)]


class NewStaffBody(Inbound):
    """`POST /libraries/{id}/staff`: a new librarian, invited by e-mail."""

    email: Email
    name: StaffName
    is_admin: bool = False


class StaffChangeBody(Inbound):
    """`PATCH /staff/{email}`: what an admin changes; fields left out stay as they are."""

    name: StaffName | None = None
    is_admin: bool | None = None
    active: bool | None = None


class PasswordBody(Inbound):
    """`POST /password`: with an invitation's token (setting the first password), or with the
    old password (signed in)."""

    new_password: Password
    invite_token: Annotated[str, StringConstraints(max_length=512)] | None = None
    old_password: Password | None = None

    @model_validator(mode="after")
    def _one_way(self) -> PasswordBody:
        if (self.invite_token is None) == (self.old_password is None):
            raise ValueError("send either invite_token or old_password")
        return self


class StaffView(Outbound):
    email: str
    name: str
    is_admin: bool
    active: bool
    invited_until: str | None = None  # a pending invitation (no password set with it yet)


class StaffList(RootShape[list[StaffView]]):
    """`GET /libraries/{id}/staff`: a JSON array."""


class LogoutReply(Outbound):
    """`POST /logout`, as the WebSocket `logout` answers."""

    ended: list[str]  # the chats that ended because the librarian left (QuestionPoint's exit)
