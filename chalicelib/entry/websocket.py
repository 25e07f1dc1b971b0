"""One WebSocket frame in, one reply out: parse, validate, route to the action, report errors.

Also the `$connect` answer and the middleware that lets delivery post back to the API the
event came through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import delivery, limits, observability
from ..actions import (
    chat,
    colleagues,
    conference,
    feedback,
    follow_up,
    handoff,
    logout,
    monitoring,
    reconnect,
    wrapup,
)
from ..actions.caller import Caller
from ..domain import presence
from ..errors import INTERNAL_ERROR, BadRequest, RefdeskError, TooLarge, Unauthorized, UnknownAction
from ..observability import logger
from ..wire import base
from ..wire.actions import INBOUND
from ..wire.events import Ack, Error

Handler = Callable[[Caller, Any], None]

ACTIONS: dict[str, Handler] = {
    "request_chat": chat.request_chat,
    "submit_question": follow_up.submit_question,
    "resume": reconnect.resume,
    "monitor": monitoring.monitor,
    "stop_monitoring": monitoring.stop_monitoring,
    "accept": chat.accept,
    "push_url": chat.push_url,
    "note": chat.note,
    "send_message": chat.send_message,
    "typing": chat.typing,
    "end_chat": chat.end_chat,
    "close_chat": chat.close_chat,
    "rate": feedback.rate,
    "heartbeat": lambda caller, request: None,
    "history": reconnect.history,
    "set_codes": wrapup.set_codes,
    "internal_note": wrapup.internal_note,
    "create_ticket": wrapup.create_ticket,
    "transfer": handoff.transfer,
    "decline": handoff.decline,
    "join": conference.join,
    "leave": conference.leave,
    "im": colleagues.im,
    "logout": logout.logout,
}


def _frame(body: str | None) -> dict[str, Any]:
    if body is not None and len(body.encode()) > limits.FRAME_BYTES:
        raise TooLarge(f"A frame may be at most {limits.FRAME_BYTES // 1024} KB.")
    return base.parse_object(body, "frame")


def handle(connection_id: str, body: str | None) -> None:
    caller = Caller(connection_id)
    try:
        frame = _frame(body)
        ref = frame.get("ref")
        caller.ref = ref if isinstance(ref, str) and len(ref) <= limits.REF else None
        action = frame.get("action")
        if not isinstance(action, str) or not action:
            raise BadRequest('Say which action: {"action": ...}.')
        handler = ACTIONS.get(action)
        if handler is None:
            raise UnknownAction(f"There is no action '{action[:64]}'.")
        request = base.validate(INBOUND[action], frame, "frame")
        logger.append_keys(action=action, session_id=getattr(request, "session_id", None))
        handler(caller, request)
        if not caller.replied:
            caller.reply(Ack())
    except RefdeskError as error:
        logger.info("request refused", extra={"code": error.code})
        observability.error(error.code)
        caller.reply(
            Error(code=error.code, message=error.message, retry_after=getattr(error, "retry_after", None))
        )
    except Exception:
        logger.exception("request failed")
        observability.error("internal_error")
        caller.reply(Error(code="internal_error", message=INTERNAL_ERROR))


def connect(connection_id: str, event: dict[str, Any]) -> dict[str, Any]:
    """$connect: 200 admits the socket; 401 refuses it (API Gateway closes the handshake).
    A librarian's socket carries `?ticket=` (POST /api/ws-ticket; what the monitor sends) or
    `?token=` (the sign-in token itself; scripts)."""
    query = event.get("queryStringParameters") or {}
    source_ip = ((event.get("requestContext") or {}).get("identity") or {}).get("sourceIp")
    try:
        presence.connect(connection_id, query.get("token"), ticket=query.get("ticket"), source_ip=source_ip)
    except Unauthorized as error:
        logger.info("connection refused", extra={"reason": error.message})
        return {"statusCode": 401, "body": error.message}
    return {"statusCode": 200}


def disconnect(connection_id: str) -> None:
    presence.disconnect(connection_id)


def endpoint_middleware(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Jobs and REST post to the configured endpoint; a WebSocket event names its own."""
    delivery.configure_from_event(event.domain_name, event.stage)
    return get_response(event)
