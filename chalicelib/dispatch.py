"""One WebSocket frame in, one reply out: parse, validate, route to the action, report errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from . import chat, handoff, logout, observability, questions, queue, reconnect, wire, wrapup
from .caller import Caller
from .errors import BadRequest, RefdeskError, TooLarge, UnknownAction
from .observability import logger

MAX_FRAME_BYTES = 32 * 1024

Handler = Callable[[Caller, Any], None]

ACTIONS: dict[str, Handler] = {
    "request_chat": chat.request_chat,
    "submit_question": questions.submit_question,
    "resume": reconnect.resume,
    "monitor": queue.monitor,
    "stop_monitoring": queue.stop_monitoring,
    "accept": chat.accept,
    "push_url": chat.push_url,
    "note": chat.note,
    "send_message": chat.send_message,
    "typing": chat.typing,
    "end_chat": chat.end_chat,
    "close_chat": chat.close_chat,
    "heartbeat": lambda caller, request: None,
    "history": reconnect.history,
    "set_codes": wrapup.set_codes,
    "internal_note": wrapup.internal_note,
    "create_ticket": wrapup.create_ticket,
    "transfer": handoff.transfer,
    "logout": logout.logout,
}


def _frame(body: str | None) -> dict[str, Any]:
    if body is not None and len(body.encode()) > MAX_FRAME_BYTES:
        raise TooLarge(f"A frame may be at most {MAX_FRAME_BYTES // 1024} KB.")
    try:
        frame = json.loads(body or "")
    except ValueError:
        raise BadRequest("A frame must be a JSON object.") from None
    if not isinstance(frame, dict):
        raise BadRequest("A frame must be a JSON object.")
    return frame


def _validation_error(error: ValidationError) -> RefdeskError:
    problems = error.errors(include_url=False)
    for problem in problems:
        if problem["type"] == "string_too_long":
            field = ".".join(str(part) for part in problem["loc"])
            limit = problem.get("ctx", {}).get("max_length", wire.MAX_TEXT)
            return TooLarge(f"'{field}' is too long: at most {limit:,} characters.")
    first = problems[0]
    field = ".".join(str(part) for part in first["loc"]) or "frame"
    return BadRequest(f"'{field}': {first['msg']}.")


def handle(connection_id: str, body: str | None) -> None:
    caller = Caller(connection_id)
    try:
        frame = _frame(body)
        ref = frame.get("ref")
        caller.ref = ref if isinstance(ref, str) and len(ref) <= 128 else None
        action = frame.get("action")
        if not isinstance(action, str) or not action:
            raise BadRequest('Say which action: {"action": ...}.')
        handler = ACTIONS.get(action)
        if handler is None:
            raise UnknownAction(f"There is no action '{action[:64]}'.")
        try:
            request = wire.INBOUND[action].model_validate(frame)
        except ValidationError as error:
            raise _validation_error(error) from None
        logger.append_keys(action=action, session_id=getattr(request, "session_id", None))
        handler(caller, request)
        if not caller.replied:
            caller.reply(wire.Ack())
    except RefdeskError as error:
        logger.info("request refused", extra={"code": error.code})
        observability.error(error.code)
        caller.reply(wire.Error(code=error.code, message=error.message))
    except Exception:
        logger.exception("request failed")
        observability.error("internal_error")
        caller.reply(
            wire.Error(code="internal_error", message="Something went wrong on our side; try again.")
        )
