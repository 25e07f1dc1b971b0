"""Running a library's staff over REST: the staff list, inviting, changing and deactivating
librarians (admins of their library), setting and changing a password, and logging out."""

from __future__ import annotations

from ..data import access
from ..data.models import Staff
from ..domain import accounts
from ..domain.auth import Librarian
from ..errors import BadRequest, NotFound, Unauthorized
from ..wire.accounts import (
    LogoutReply,
    NewStaffBody,
    PasswordBody,
    StaffChangeBody,
    StaffList,
    StaffView,
)
from ..wire.rest import SignedIn
from . import authorize


def _view(member: Staff) -> StaffView:
    return StaffView(
        email=member.email,
        name=member.name,
        is_admin=bool(member.is_admin),
        active=bool(member.active),
        invited_until=member.invited_until,
    )


def list_staff(librarian: Librarian, library_id: str) -> StaffList:
    authorize.admin_of(librarian, library_id, "manage its staff")
    access.library(library_id)
    return StaffList([_view(member) for member in access.staff_of(library_id)])


def add_staff(librarian: Librarian, body: NewStaffBody, library_id: str) -> StaffView:
    """Invite a librarian by e-mail (again, for one who never set a password)."""
    authorize.admin_of(librarian, library_id, "manage its staff")
    library = access.library(library_id)
    accounts.invite(library, body.email, body.name, is_admin=body.is_admin)
    member = access.staff_member(body.email)
    if member is None:
        raise NotFound(f"There is no librarian {body.email}.")
    return _view(member)


def change_staff(librarian: Librarian, body: StaffChangeBody, email: str) -> StaffView:
    member = access.staff_member(email)
    if member is None:
        raise NotFound(f"There is no librarian {email}.")
    authorize.admin_of(librarian, member.library, "manage its staff")
    if member.email == librarian.email and (body.is_admin is False or body.active is False):
        raise BadRequest("You cannot remove your own admin role or deactivate yourself; ask another admin.")
    changed = accounts.change(member, name=body.name, is_admin=body.is_admin, active=body.active)
    return _view(changed)


def set_password(librarian: Librarian | None, body: PasswordBody) -> SignedIn:
    """With an invitation (signed out), or with the old password (signed in)."""
    if body.invite_token is not None:
        return accounts.accept_invitation(body.invite_token, body.new_password)
    if librarian is None:
        raise Unauthorized("Sign in to change your password.")
    return accounts.change_password(librarian, body.old_password or "", body.new_password)


def logout(librarian: Librarian) -> LogoutReply:
    return LogoutReply(ended=accounts.log_out(librarian.email, librarian.name))
