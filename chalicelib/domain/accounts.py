"""Who may sign in: librarians invited by e-mail, their passwords, their roles, deactivation,
and signing out everywhere at once.

An invitation is a one-time link to the monitor's set-password view; its token is the
librarian's address and a secret, of which the staff record keeps only a SHA-256, so the
link works once, until it expires, and only while the librarian is active. Every token a
librarian holds carries their sign-in key (see auth); changing the key is how logging out,
a new password and deactivation end every sign-in at once. Their open windows are then told
why (`signed_out`) and their sockets closed.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import html
import secrets
from datetime import timedelta

from pynamodb.exceptions import PutError, UpdateError
from pynamodb.expressions.update import Action

from .. import clock, delivery, limits, notify
from ..config import settings
from ..data import access
from ..data.models import Library, Staff
from ..errors import AlreadyExists, BadRequest, NotFound, SessionEnded, Unauthorized
from ..statuses import IN_PROGRESS, EndedBy
from ..wire.events import SignOutReason
from ..wire.rest import SignedIn
from . import auth, chats, handoff, mail

INVITATION_LASTS = timedelta(days=3)
SIGNED_OUT = {
    "logout": "You logged out in another window.",
    "password_changed": "Your password was changed in another window; sign in with the new one.",
    "deactivated": "Your account has been deactivated; ask your library's admin.",
    "role_changed": "An admin changed your role; sign in again to carry on with it.",
}
LEFT_FOR_GOOD = (
    "{librarian} is no longer available, so your chat is back in the queue. The next librarian "
    "will see everything said so far; please stay on this page."
)


# --- invitations ------------------------------------------------------------------------------


def invite(library: Library, email: str, name: str, *, is_admin: bool = False, send: bool = True) -> str:
    """Add a librarian to `library` (or invite again one who never set a password) and e-mail
    them a link to set their password (unless not `send`); returns the link. AlreadyExists
    for anyone else."""
    email = email.strip().lower()
    secret = secrets.token_urlsafe(24)
    until = clock.iso(clock.now() + INVITATION_LASTS)
    member = Staff(
        email=email,
        name=name,
        library=library.library_id,
        is_admin=is_admin,
        active=True,
        invite_hash=_digest(secret),
        invited_until=until,
    )
    try:
        member.save(
            condition=Staff.email.does_not_exist()
            | ((Staff.library == library.library_id) & Staff.password_hash.does_not_exist())
        )
    except PutError:
        raise AlreadyExists(f"{email} already has a Refdesk account.") from None
    token = f"{auth.b64(email.encode())}.{secret}"
    link = f"{_public_url()}/monitor/?invite={token}"
    if send:
        _send_invitation(member, library, link)
    return link


def _public_url() -> str:
    url = settings().public_url.rstrip("/")
    if not url:
        raise RuntimeError(
            "Set REFDESK_PUBLIC_URL (where the pages are served) so invitations can link there."
        )
    return url


def _send_invitation(member: Staff, library: Library, link: str) -> None:
    days = INVITATION_LASTS.days
    text = (
        f"Hello {member.name},\n\n{library.name} has invited you to answer its patrons' questions on "
        f"Refdesk, its Ask a Librarian chat.\n\nSet your password here (the link works once, for "
        f"{days} days):\n{link}\n\nThen sign in to the chat monitor with {member.email}.\n"
    )
    safe = html.escape
    body = (
        f"<p>Hello {safe(member.name)},</p><p>{safe(library.name)} has invited you to answer its "
        f"patrons' questions on Refdesk, its Ask a Librarian chat.</p>"
        f'<p><a href="{safe(link)}">Set your password</a> (the link works once, for {days} days).</p>'
        f"<p>Then sign in to the chat monitor with {safe(member.email)}.</p>"
    )
    mail.send(member.email, f"Your invitation to {library.name}'s chat desk", text, body)


def accept_invitation(token: str, password: str) -> SignedIn:
    """Set the first password with an invitation, once; the librarian is then signed in."""
    _check_password(password)
    refused = Unauthorized("That invitation link is not valid any more; ask your admin for a new one.")
    email, _, secret = token.partition(".")
    try:
        member = access.staff_member(auth.unb64(email).decode())
    except (ValueError, binascii.Error):
        raise refused from None
    if (
        member is None
        or not member.active
        or not member.invite_hash
        or not hmac.compare_digest(member.invite_hash, _digest(secret))
        or (member.invited_until or "") < clock.iso(clock.now())
    ):
        raise refused
    try:
        member.update(
            actions=[
                Staff.password_hash.set(auth.hash_password(password)),
                Staff.sign_in_key.set(auth.new_key()),
                Staff.invite_hash.remove(),
                Staff.invited_until.remove(),
            ],
            condition=(Staff.invite_hash == member.invite_hash) & (Staff.active == True),  # noqa: E712
        )
    except UpdateError:
        raise refused from None  # used a moment ago, or deactivated meanwhile
    return auth.signed_in(member)


# --- passwords and signing out ----------------------------------------------------------------


def change_password(librarian: auth.Librarian, old: str, new: str) -> SignedIn:
    """With the old password: the new one counts at once, every other window of this
    librarian is signed out, and this one gets a fresh token."""
    _check_password(new)
    member = _member(librarian.email)
    if not auth.password_matches(old, member.password_hash):
        raise Unauthorized("Your current password is not right.")
    member.update(actions=[Staff.password_hash.set(auth.hash_password(new))])
    sign_out_everywhere(member, "password_changed")
    return auth.signed_in(member)


def log_out(email: str, name: str | None, *, keep: str | None = None) -> list[str]:
    """Leave the service (QuestionPoint's "exit the system"): every chat in progress ends,
    every sign-in of this librarian ends, and their other windows are told. Returns the
    chats that ended. `keep`: the socket that asked, which its page closes itself."""
    ended = []
    for session in access.open_sessions_of(email):
        if session.status in IN_PROGRESS:
            try:
                chats.end(session, EndedBy.EXIT, by_name=name, close=True)
            except SessionEnded:
                continue
            ended.append(session.session_id)
    sign_out_everywhere(_member(email), "logout", keep=keep)
    return ended


def sign_out_everywhere(member: Staff, reason: SignOutReason, *, keep: str | None = None) -> None:
    """Revoke every token of this librarian, tell each open window why, and close it."""
    auth.revoke(member)
    sockets = [c for c in access.sockets_of(member.email) if c != keep]
    notify.signed_out(sockets, reason, SIGNED_OUT[reason])
    delivery.close(sockets)


# --- what admins change -----------------------------------------------------------------------


def change(member: Staff, *, name: str | None, is_admin: bool | None, active: bool | None) -> Staff:
    """An admin renames a librarian, changes their role, or (de)activates them."""
    actions: list[Action] = []
    if name is not None:
        actions.append(Staff.name.set(name))
    if is_admin is not None:
        actions.append(Staff.is_admin.set(is_admin))
    if active is not None:
        actions.append(Staff.active.set(active))
    if actions:
        member.update(actions=actions)
    if active is False:
        _deactivated(member)
    elif is_admin is not None:
        sign_out_everywhere(member, "role_changed")  # their open windows hold the old role
    return member


def _deactivated(member: Staff) -> None:
    """Their chats go back to the queue with the transcript, then every window is closed."""
    for session in access.open_sessions_of(member.email):
        if session.status in IN_PROGRESS:
            try:
                handoff.requeue(session, text=LEFT_FOR_GOOD.format(librarian=member.name))
            except SessionEnded:
                continue
    sign_out_everywhere(member, "deactivated")


def _member(email: str) -> Staff:
    member = access.staff_member(email)
    if member is None:
        raise NotFound(f"There is no librarian {email}.")
    return member


def _check_password(password: str) -> None:
    if len(password) < limits.PASSWORD_MIN:
        raise BadRequest(f"A password needs at least {limits.PASSWORD_MIN} characters.")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
