"""`refdesk`: a deployed stage's libraries and librarians, from the command line.

    refdesk create-library springfield --name "Springfield Public Library" [--cooperative state-coop]
    refdesk add-librarian ref@springfield.example --library springfield --admin [--no-mail]
    refdesk list-staff --library springfield
    refdesk deactivate ref@springfield.example [--websocket-endpoint URL]
    refdesk reactivate ref@springfield.example

Every command takes --stage (default dev): its tables are REFDESK_TABLE_PREFIX of that stage
in .chalice/config.json unless the environment sets it. AWS is wherever boto3 points:
AWS_PROFILE, AWS_DEFAULT_REGION, and AWS_ENDPOINT_URL for another endpoint (a moto server,
LocalStack). add-librarian, deactivate and reactivate are the domain operations the
monitor's Staff tab runs (chalicelib.domain.accounts). An error is one line on stderr, and
exit status 1.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from chalicelib.errors import AlreadyExists, BadRequest, NotFound, RefdeskError

from . import stages

if TYPE_CHECKING:
    from chalicelib.data.models import Staff

# What a library's id may be: it is in the chat page's address and the widget's data-library.
ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


class Failed(Exception):
    """Something went wrong after a change was (partly) made; the message says what to do."""


# --- the commands -----------------------------------------------------------------------------


def create_library(args: argparse.Namespace) -> None:
    from pynamodb.exceptions import PutError

    from chalicelib import limits
    from chalicelib.data import access
    from chalicelib.data.models import Library

    library_id = _checked_id(args.library_id, "library id")
    cooperative = _checked_id(args.cooperative, "cooperative id") if args.cooperative else None
    name = args.name.strip()
    if not name or len(name) > limits.LIBRARY_NAME:
        raise BadRequest(f"A library's name (--name) has 1 to {limits.LIBRARY_NAME} characters.")
    library = Library(library_id=library_id, name=name, cooperative=cooperative)
    try:
        library.save(condition=Library.library_id.does_not_exist())
    except PutError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        existing = access.library(library_id)
        raise AlreadyExists(
            f"There is already a library '{library_id}' ({existing.name}); nothing was changed."
        ) from None
    where = f", in cooperative {cooperative}" if cooperative else ""
    print(f"Created library {library_id} ({name}){where}, in {Library.Meta.table_name}.")
    print(f"Next: refdesk add-librarian EMAIL --library {library_id} --admin --stage {args.stage}")


def add_librarian(args: argparse.Namespace) -> None:
    from chalicelib.config import settings
    from chalicelib.data import access
    from chalicelib.domain import accounts
    from chalicelib.wire.accounts import NewStaffBody
    from chalicelib.wire.base import validate

    fields = {"email": args.email, "name": args.name or args.email.partition("@")[0], "is_admin": args.admin}
    try:
        body = validate(NewStaffBody, fields, "librarian")
    except BadRequest as error:
        if error.message.startswith("'email'"):
            raise BadRequest(f"'{args.email}' is not an e-mail address.") from None
        raise
    if not settings().public_url:
        raise BadRequest(
            "An invitation links to where the pages are served: give --public-url URL, or set "
            "REFDESK_PUBLIC_URL for the stage in .chalice/config.json."
        )
    library = access.library(_checked_id(args.library, "library id"))
    try:
        link = accounts.invite(library, body.email, body.name, is_admin=body.is_admin, send=not args.no_mail)
    except ClientError as error:  # from SES: the invitation itself was saved
        raise Failed(
            f"{body.email} was added, but SES did not send the invitation ({_aws_message(error)}); "
            "run this again with --no-mail to print a new link."
        ) from None
    role = "an admin" if body.is_admin else "a librarian"
    sent = "not e-mailed (--no-mail): give them" if args.no_mail else "e-mailed them"
    print(f"Invited {body.email} to {library.library_id} as {role}; {sent} this link.")
    print(f"It works once, for {accounts.INVITATION_LASTS.days} days:")
    print(link)


def list_staff(args: argparse.Namespace) -> None:
    from chalicelib import clock
    from chalicelib.data import access

    library = access.library(_checked_id(args.library, "library id"))
    members = access.staff_of(library.library_id)
    if not members:
        print(f"{library.library_id} ({library.name}) has no staff yet.")
        return
    now = clock.iso(clock.now())
    rows = [("E-MAIL", "NAME", "ROLE", "STATE")]
    for member in members:
        if member.active is False:
            state = "deactivated"
        elif member.invited_until:
            expired = member.invited_until < now
            state = f"invitation {'expired' if expired else 'open until'} {member.invited_until}"
        else:
            state = "active"
        rows.append((member.email, member.name, "admin" if member.is_admin else "librarian", state))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        print("  ".join([*(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)), row[3]]))


def deactivate(args: argparse.Namespace) -> None:
    """Their chats in progress go back to the queue, every sign-in of theirs ends, and their
    open windows are told and closed, through the WebSocket API's management endpoint. Without
    one, the change is made all the same and nobody is told (see the warning printed)."""
    from chalicelib import delivery
    from chalicelib.config import settings
    from chalicelib.data import access
    from chalicelib.domain import accounts
    from chalicelib.statuses import IN_PROGRESS

    member = _member(args.email)
    windows = access.sockets_of(member.email)
    chats = [s for s in access.open_sessions_of(member.email) if s.status in IN_PROGRESS]
    reachable = settings().websocket_endpoint is not None
    if not reachable:
        delivery.skip_posts()
    try:
        accounts.change(member, name=None, is_admin=None, active=False)
    except (BotoCoreError, ClientError) as error:  # the management API; the tables say deactivated
        reason = _aws_message(error) if isinstance(error, ClientError) else str(error)
        raise Failed(
            f"{member.email} is deactivated, but the WebSocket API at {settings().websocket_endpoint} "
            f"failed ({reason}); run this again with the right --websocket-endpoint to close their windows."
        ) from None
    requeued = f"; {_count(len(chats), 'chat')} in progress went back to the queue" if chats else ""
    print(f"Deactivated {member.email} ({member.library}): they are signed out everywhere{requeued}.")
    if not reachable and (windows or chats):
        untold = []
        if windows:
            stays = (
                "stays connected until it drops" if len(windows) == 1 else "stay connected until they drop"
            )
            untold.append(f"{_count(len(windows), 'open window')} of theirs {stays}")
        if chats:
            untold.append(f"the patrons of the {_count(len(chats), 'chat')} put back in the queue")
        print(
            f"refdesk: warning: no WebSocket API given, so nobody was told: {'; '.join(untold)}. "
            "Run this again with --websocket-endpoint (the stack's WebsocketConnectEndpointURL) "
            "to tell and close their windows.",
            file=sys.stderr,
        )


def reactivate(args: argparse.Namespace) -> None:
    from chalicelib import clock
    from chalicelib.domain import accounts

    member = _member(args.email)
    accounts.change(member, name=None, is_admin=None, active=True)
    if member.password_hash:
        print(f"Reactivated {member.email} ({member.library}): they can sign in again with their password.")
    elif (member.invited_until or "") > clock.iso(clock.now()):
        print(
            f"Reactivated {member.email} ({member.library}): their invitation works until {member.invited_until}."
        )
    else:
        print(
            f"Reactivated {member.email} ({member.library}), who never set a password; to invite them "
            f"again: refdesk add-librarian {member.email} --library {member.library}"
        )


# --- helpers ----------------------------------------------------------------------------------


def _checked_id(value: str, what: str) -> str:
    if not ID.match(value):
        raise BadRequest(
            f"'{value}' is not a valid {what}: lower-case letters, digits and hyphens, at most "
            "64, neither first nor last a hyphen."
        )
    return value


def _member(email: str) -> Staff:
    from chalicelib.data import access

    member = access.staff_member(email.strip())
    if member is None:
        raise NotFound(f"There is no librarian {email.strip()}.")
    return member


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _aws_message(error: ClientError) -> str:
    detail = error.response.get("Error", {})
    return f"{detail.get('Code', 'error')}: {detail.get('Message', '')}".rstrip(": ")


def _explain(error: Exception) -> str:
    """One line for an error from DynamoDB or AWS, saying where to look."""
    if isinstance(error, PynamoDBException):
        if error.cause_response_code == "ResourceNotFoundException":
            from chalicelib.config import settings

            return (
                f"The stage's tables ({settings().table_prefix}-*) are not there: check --stage, "
                "REFDESK_TABLE_PREFIX, AWS_PROFILE, the region and AWS_ENDPOINT_URL."
            )
        cause = error.cause
        if isinstance(cause, ClientError):
            return f"DynamoDB refused: {_aws_message(cause)}"
        if isinstance(cause, BotoCoreError):
            error = cause
        else:
            return f"DynamoDB: {cause or error.msg}"
    if isinstance(error, ClientError):
        return _aws_message(error)
    return f"{error} (check AWS_PROFILE, the region and AWS_ENDPOINT_URL)"


# --- the command line -------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--stage",
        default="dev",
        help="the stage in .chalice/config.json whose tables to use (default dev); "
        "REFDESK_TABLE_PREFIX etc. in the environment win over it",
    )
    top = argparse.ArgumentParser(
        prog="refdesk", description="A deployed stage's libraries and librarians, from the command line."
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], None], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    create = command("create-library", create_library, "add a library (refused if its id is taken)")
    create.add_argument("library_id", metavar="ID", help="lower-case letters, digits and hyphens")
    create.add_argument("--name", required=True, help="shown to patrons and in e-mails")
    create.add_argument(
        "--cooperative", metavar="ID", help="the cooperative whose libraries cover each other"
    )

    add = command("add-librarian", add_librarian, "invite a librarian and print their set-password link")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--library", required=True, metavar="ID")
    add.add_argument("--name", help="as patrons see it (default: the e-mail's part before @)")
    add.add_argument("--admin", action="store_true", help="may manage the library's staff and settings")
    add.add_argument("--no-mail", action="store_true", help="only print the link; SES sends nothing")
    add.add_argument(
        "--public-url",
        metavar="URL",
        help="where the pages are served (the stack's PagesURL or your domain); "
        "default REFDESK_PUBLIC_URL of the stage",
    )

    listing = command("list-staff", list_staff, "a library's staff: role and state")
    listing.add_argument("--library", required=True, metavar="ID")

    off = command(
        "deactivate", deactivate, "stop a librarian signing in: chats requeued, every sign-in ended"
    )
    off.add_argument("email", metavar="EMAIL")
    off.add_argument(
        "--websocket-endpoint",
        metavar="URL",
        help="the WebSocket API (the stack's WebsocketConnectEndpointURL, or its https:// "
        "management endpoint), to tell and close the librarian's open windows; "
        "default REFDESK_WEBSOCKET_ENDPOINT",
    )

    on = command("reactivate", reactivate, "let a deactivated librarian sign in again")
    on.add_argument("email", metavar="EMAIL")
    return top


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        stages.configure(
            args.stage,
            public_url=getattr(args, "public_url", None),
            websocket_endpoint=getattr(args, "websocket_endpoint", None),
        )
    except SystemExit as error:  # no such stage, or no .chalice/config.json
        _fail(str(error.code))
    try:
        args.run(args)
    except RefdeskError as error:
        _fail(error.message)
    except Failed as error:
        _fail(str(error))
    except (PynamoDBException, BotoCoreError, ClientError) as error:
        _fail(_explain(error))


def _fail(message: str) -> None:
    print(f"refdesk: error: {' '.join(message.split())}", file=sys.stderr)
    raise SystemExit(1)
