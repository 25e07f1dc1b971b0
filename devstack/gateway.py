"""A local API Gateway on one origin: WebSocket at /ws, REST at /api, the management API at
/@connections/{id}, the static pages, and the /dev routes.

It calls the *same* Chalice handlers that Lambda calls, with API-Gateway-shaped events, in a
thread pool (Lambda runs invocations concurrently). Frames from one socket are handled at once
(up to FRAMES_AT_ONCE) and may finish out of order, as API Gateway's may. The handlers' posts
to sockets reach the event loop without HTTP (`Gateway._post_in_process`); the same routes
answer over HTTP too.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import html
import json
import os
import re
import secrets
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

from aiohttp import WebSocketError, WSCloseCode, WSMsgType, web
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from chalice.config import Config
from chalice.local import LambdaContext, LocalGateway, LocalGatewayException

from chalicelib import clock, limits
from chalicelib.actions import jobs

from . import aws, demo
from .management_api import Answer

ROOT = Path(__file__).resolve().parent.parent
WIDGET = ROOT / "widget"
STAGE = "ws"
API_ID = "local"
# The pages hold no inline script or style, so a strict policy costs nothing and keeps any
# text that slipped through as HTML from running. The chat page may be framed anywhere (the
# widget frames it); the monitor nowhere (a framed sign-in or chat pane invites clickjacking).
# infra/refdesk.yaml gives CloudFront the same headers (PagesHeaders, MonitorHeaders).
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'"
)
MONITOR_POLICY = PAGE_POLICY + "; frame-ancestors 'none'"
MONITOR = (WIDGET / "monitor").resolve()
# Frames of one socket handled at once (API Gateway invokes the function for each frame, with
# no order between them; this bounds what one socket can take of the worker threads).
FRAMES_AT_ONCE = 8


def _page_headers(target: Path) -> dict[str, str]:
    headers = {"Cache-Control": "no-cache"}
    monitor = target.resolve().is_relative_to(MONITOR)
    if target.suffix == ".html":
        headers["Content-Security-Policy"] = MONITOR_POLICY if monitor else PAGE_POLICY
    if monitor:
        headers["X-Frame-Options"] = "DENY"
    return headers


async def _nosniff(request: web.Request, response: web.StreamResponse) -> None:
    """Every response, pages, REST, /dev and errors alike, is read as the type it says."""
    response.headers["X-Content-Type-Options"] = "nosniff"


def _connection_id() -> str:
    """Shaped like API Gateway's: 12 random bytes, base64 (so it may end in '=')."""
    return base64.b64encode(secrets.token_bytes(12)).decode()


def _redirect(to: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(to)

    return redirect


def _now_ms() -> int:
    return int(time.time() * 1000)


def _peer(request: web.Request) -> str:
    """The address the TCP connection came from, as API Gateway reports `sourceIp`. Nothing a
    client sends (no X-Forwarded-For) changes it: tests that need patrons on different
    networks open their sockets from different loopback addresses (devstack/client.py)."""
    return request.remote or "127.0.0.1"


class _FrameLimit:
    """API Gateway's 32 KB limit on one WebSocket frame from a client (a longer message comes in
    several frames): wraps aiohttp's parser, reads each frame's header as the bytes arrive, and
    at a data frame over the limit hands the socket 1009 "message too big", as API Gateway
    does, and reads nothing more. aiohttp itself only limits whole messages."""

    def __init__(self, parser: Any, queue: Any, limit: int) -> None:
        self.parser, self.queue, self.limit = parser, queue, limit
        self.header = bytearray()  # the header of the next frame, until it is whole
        self.payload_left = 0  # bytes of the current frame's payload still to come
        self.refused = False

    @classmethod
    def install(cls, request: web.Request, socket: web.WebSocketResponse) -> None:
        protocol: Any = request.protocol
        protocol._payload_parser = cls(protocol._payload_parser, socket._reader, limits.FRAME_BYTES)

    def feed_eof(self) -> None:
        self.parser.feed_eof()

    def feed_data(self, data: bytes) -> tuple[bool, bytes]:
        if self.refused:
            return False, b""
        passed = bytearray()
        index = 0
        while index < len(data):
            if self.payload_left:
                step = min(self.payload_left, len(data) - index)
                passed += data[index : index + step]
                self.payload_left -= step
                index += step
                continue
            self.header.append(data[index])
            index += 1
            length = self._frame_length()
            if length is None:
                continue
            opcode = self.header[0] & 0x0F
            if opcode in (0x0, 0x1, 0x2) and length > self.limit:  # continuation, text, binary
                self.refused = True
                self.queue.set_exception(
                    WebSocketError(WSCloseCode.MESSAGE_TOO_BIG, f"A frame may be at most {self.limit} bytes")
                )
                break
            passed += self.header
            self.header.clear()
            self.payload_left = length
        if not passed:
            return False, b""
        result: tuple[bool, bytes] = self.parser.feed_data(bytes(passed))
        return result

    def _frame_length(self) -> int | None:
        """The payload length once the header (with its extended length and mask) is whole."""
        header = self.header
        if len(header) < 2:
            return None
        flag = header[1] & 0x7F
        extended = 2 if flag == 126 else 8 if flag == 127 else 0
        if len(header) < 2 + extended + (4 if header[1] & 0x80 else 0):
            return None
        return flag if not extended else int.from_bytes(header[2 : 2 + extended], "big")


class Gateway:
    def __init__(self, app_module: ModuleType, *, host: str, port: int) -> None:
        self.app_module = app_module
        self.app = app_module.app
        self.host, self.port = host, port
        self.sockets: dict[str, web.WebSocketResponse] = {}
        self.connected_at: dict[str, int] = {}
        self.last_active: dict[str, int] = {}
        self.user_agents: dict[str, str] = {}
        self.peers: dict[str, str] = {}  # the address each socket came from, as GET @connections says
        self.disconnects_to_lose = 0  # POST /dev/lose_next_disconnect: API Gateway's is best-effort
        self.messages_to_lose: dict[str, int] = {}  # POST /dev/lose_next_message: connection -> count
        self.in_flight: set[asyncio.Task[None]] = set()  # frames being handled, every socket's
        self.executor = ThreadPoolExecutor(max_workers=64, thread_name_prefix="lambda")
        self.rest = LocalGateway(self.app, Config.create(chalice_app=self.app, lambda_timeout=60))
        self.loop: asyncio.AbstractEventLoop | None = None  # the event loop serving, once it is
        self.loop_thread = 0
        self.ws_handlers = {
            route: getattr(app_module, handler.name) for route, handler in self.app.websocket_handlers.items()
        }

    # --- Lambda invocation --------------------------------------------------------------------

    async def invoke(self, handler: Any, event: dict[str, Any]) -> Any:
        context = LambdaContext("refdesk", 256, max_runtime_ms=60_000)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, handler, event, context)

    def _ws_event(
        self,
        route: str,
        event_type: str,
        connection_id: str,
        request: web.Request,
        body: str | None = None,
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "requestContext": {
                "routeKey": route,
                "eventType": event_type,
                "connectionId": connection_id,
                "domainName": request.host,
                "stage": STAGE,
                "apiId": API_ID,
                "requestId": uuid.uuid4().hex,
                "connectedAt": self.connected_at.get(connection_id, _now_ms()),
                "requestTimeEpoch": _now_ms(),
                "messageDirection": "IN",
                "identity": {
                    "sourceIp": _peer(request),
                    "userAgent": request.headers.get("User-Agent", ""),
                },
            },
            "isBase64Encoded": False,
        }
        if route == "$connect":
            event["headers"] = dict(request.headers)
            event["queryStringParameters"] = dict(request.query) or None
        if body is not None:
            event["body"] = body
        return event

    # --- WebSocket ----------------------------------------------------------------------------

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        connection_id = _connection_id()
        self.connected_at[connection_id] = _now_ms()
        result = await self.invoke(
            self.ws_handlers["$connect"],
            self._ws_event("$connect", "CONNECT", connection_id, request),
        )
        status = (result or {}).get("statusCode", 200)
        if status >= 300:
            self.connected_at.pop(connection_id, None)
            return web.Response(status=status, text=(result or {}).get("body") or "Forbidden")
        # API Gateway's limits on what a client sends: a message over 128 KB, or a frame over
        # 32 KB, closes the socket with 1009 (aiohttp counts a message's size from one byte past
        # its limit; _FrameLimit checks each frame). No compression extension is offered, so the
        # sizes checked are the sizes written.
        socket = web.WebSocketResponse(max_msg_size=limits.MESSAGE_BYTES + 1, compress=False)
        slots = asyncio.Semaphore(FRAMES_AT_ONCE)
        try:  # from here on, $disconnect follows, however the socket ends
            await socket.prepare(request)
            _FrameLimit.install(request, socket)
            self.sockets[connection_id] = socket
            self.user_agents[connection_id] = request.headers.get("User-Agent", "")
            self.peers[connection_id] = _peer(request)
            async for frame in socket:
                if frame.type == WSMsgType.TEXT:
                    body = frame.data
                elif frame.type == WSMsgType.BINARY:
                    body = frame.data.decode("utf-8", "replace")
                else:
                    continue
                self.last_active[connection_id] = _now_ms()
                event = self._ws_event("$default", "MESSAGE", connection_id, request, body)
                # As API Gateway: each frame is its own invocation, and one socket's frames run
                # at once and may finish out of order. At most FRAMES_AT_ONCE per socket are
                # in flight; the next frame is read when one of them is done.
                await slots.acquire()
                task = asyncio.create_task(self._frame(socket, event))
                self.in_flight.add(task)
                task.add_done_callback(functools.partial(self._frame_done, slots))
        finally:
            self.sockets.pop(connection_id, None)
            self.last_active.pop(connection_id, None)
            self.user_agents.pop(connection_id, None)
            self.peers.pop(connection_id, None)
            self.messages_to_lose.pop(connection_id, None)
            if self.disconnects_to_lose:
                self.disconnects_to_lose -= 1
            else:
                event = self._ws_event("$disconnect", "DISCONNECT", connection_id, request)
                await self.invoke(self.ws_handlers["$disconnect"], event)
            self.connected_at.pop(connection_id, None)
        return socket

    def _frame_done(self, slots: asyncio.Semaphore, task: asyncio.Task[None]) -> None:
        self.in_flight.discard(task)
        slots.release()

    async def _frame(self, socket: web.WebSocketResponse, event: dict[str, Any]) -> None:
        try:
            result = await self.invoke(self.ws_handlers["$default"], event)
            await self._route_response(socket, result)
        except Exception as error:  # as a Lambda error: the frame is lost, the socket stays
            print(f"frame failed: {error!r}", flush=True)

    @staticmethod
    async def _route_response(socket: web.WebSocketResponse, result: Any) -> None:
        """A handler's returned `body`, as a route with a route response would send it: over
        128 KB, API Gateway closes the socket with 1009 instead. (Chalice configures no route
        responses, and Refdesk's handlers return no body: every reply is a post.)"""
        body = result.get("body") if isinstance(result, dict) else None
        if not isinstance(body, str) or not body or socket.closed:
            return
        if len(body.encode()) > limits.MESSAGE_BYTES:
            await socket.close(code=WSCloseCode.MESSAGE_TOO_BIG, message=b"Message too big")
        else:
            await socket.send_str(body)

    # --- the management API: POST/GET/DELETE /@connections/{id} --------------------------------

    @staticmethod
    def _gone(connection_id: str) -> Answer:
        return Answer(410, f"Connection {connection_id} is gone", "GoneException")

    async def post(self, connection_id: str, data: bytes) -> Answer:
        """POST @connections/{id}: the event to the socket, answered as API Gateway answers."""
        socket = self.sockets.get(connection_id)
        if socket is None or socket.closed:
            return self._gone(connection_id)
        if len(data) > limits.MESSAGE_BYTES:  # as API Gateway: 413, and nothing is sent
            message = f"Message too long: {len(data)} bytes, at most {limits.MESSAGE_BYTES}"
            return Answer(413, message, "PayloadTooLargeException")
        text = data.decode("utf-8")
        if self.messages_to_lose.get(connection_id) and '"type":"message"' in text:
            self.messages_to_lose[connection_id] -= 1  # accepted, never delivered
            return Answer(200)
        try:
            await socket.send_str(text)
        except ConnectionError:
            return self._gone(connection_id)
        if connection_id in self.sockets:  # not a socket that closed while this was sent
            self.last_active[connection_id] = _now_ms()
        return Answer(200)

    async def post_to_connection(self, request: web.Request) -> web.Response:
        answer = await self.post(request.match_info["connection_id"], await request.read())
        return answer.http()

    def _post_in_process(self, request: AWSPreparedRequest) -> AWSResponse | None:
        """botocore's PostToConnection to this gateway, handed to its event loop directly
        instead of over HTTP to this same process: the same answer, without the HTTP on both
        sides, which was a fifth of the stack's CPU per message (three posts: the ack and the
        message to each side). Anything else (no loop yet, another endpoint) goes over HTTP."""
        url = urlsplit(request.url)
        loop = self.loop
        if loop is None or url.netloc != f"{self.host}:{self.port}" or "/@connections/" not in url.path:
            return None
        if request.method != "POST" or threading.get_ident() == self.loop_thread:
            return None  # a GET or DELETE; or on the loop itself, which must not wait for itself
        if not isinstance(request.body, bytes):
            return None
        connection_id = unquote(url.path.rsplit("/@connections/", 1)[1])
        answer = asyncio.run_coroutine_threadsafe(self.post(connection_id, request.body), loop).result()
        return answer.botocore(request.url)

    async def get_connection(self, request: web.Request) -> web.Response:
        connection_id = request.match_info["connection_id"]
        if connection_id not in self.sockets:
            return self._gone(connection_id).http()
        connected_ms = self.connected_at[connection_id]

        def stamp(ms: int) -> str:
            return clock.iso(datetime.fromtimestamp(ms / 1000, UTC))

        return web.json_response(
            {
                "connectedAt": stamp(connected_ms),
                "identity": {
                    "sourceIp": self.peers.get(connection_id, "127.0.0.1"),
                    "userAgent": self.user_agents.get(connection_id, ""),
                },
                "lastActiveAt": stamp(self.last_active.get(connection_id, connected_ms)),
            }
        )

    async def delete_connection(self, request: web.Request) -> web.Response:
        connection_id = request.match_info["connection_id"]
        socket = self.sockets.get(connection_id)
        if socket is None:
            return self._gone(connection_id).http()
        await socket.close()
        return web.Response(status=204)

    # --- REST through Chalice's local gateway -------------------------------------------------

    async def rest_api(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        if request.query_string:
            path += "?" + request.query_string
        body = await request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        loop = asyncio.get_running_loop()
        try:
            response = await loop.run_in_executor(
                self.executor, self.rest.handle_request, request.method, path, headers, body or None
            )
        except LocalGatewayException as error:
            return web.Response(
                status=404 if error.CODE == 403 else error.CODE,
                body=json.dumps({"code": "not_found", "message": "No such route."}),
                content_type="application/json",
            )
        payload = response.get("body") or b""
        if response.get("isBase64Encoded"):
            payload = base64.b64decode(payload)
        headers_out = {
            k: v for k, v in (response.get("headers") or {}).items() if k.lower() != "content-length"
        }
        return web.Response(status=response["statusCode"], body=payload, headers=headers_out)

    # --- pages ----------------------------------------------------------------------------------

    async def static(self, request: web.Request) -> web.StreamResponse:
        relative = request.match_info.get("path") or ""
        base = WIDGET / request.match_info.get("section", "")
        target = (base / relative).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(WIDGET.resolve()) or not target.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(target, headers=_page_headers(target))

    async def chat_page(self, request: web.Request) -> web.StreamResponse:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", request.match_info["library_id"]):
            raise web.HTTPNotFound()
        return web.FileResponse(WIDGET / "chat.html", headers=_page_headers(WIDGET / "chat.html"))

    # --- /dev -----------------------------------------------------------------------------------

    async def dev_outbox(self, request: web.Request) -> web.Response:
        if "text/html" in request.headers.get("Accept", ""):
            rows = "".join(
                f"<article><h2>{html.escape(m['subject'])}</h2><p>To {html.escape(m['to'])}, "
                f"{html.escape(m['sent_at'])}</p><pre>{html.escape(m['text'])}</pre></article>"
                for m in aws.outbox
            )
            return web.Response(
                text=f"<!doctype html><html lang=en><title>Outbox</title><h1>Outbox</h1>{rows}</html>",
                content_type="text/html",
            )
        return web.json_response(aws.outbox)

    async def dev_job(self, request: web.Request) -> web.Response:
        name = request.match_info["job"]
        if name not in jobs.JOBS:
            return web.json_response({"code": "not_found", "message": f"No job '{name}'."}, status=404)
        try:
            now = clock.parse(request.query["now"]) if "now" in request.query else clock.now()
        except ValueError:
            return web.json_response({"code": "bad_request", "message": "now must be ISO-8601."}, status=400)
        loop = asyncio.get_running_loop()
        changed = await loop.run_in_executor(self.executor, jobs.run, name, now)
        return web.json_response({"job": name, "changed": changed})

    async def dev_fixtures(self, request: web.Request) -> web.Response:
        """Create libraries and librarians (tests give each scenario its own)."""
        try:
            spec = await request.json()
        except ValueError:
            return web.json_response({"code": "bad_request", "message": "Send JSON."}, status=400)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.executor, demo.load_fixtures, spec)
        return web.json_response({"created": True}, status=201)

    async def dev_lose_next_disconnect(self, request: web.Request) -> web.Response:
        """The next socket to close does so without a $disconnect, as API Gateway may."""
        self.disconnects_to_lose += 1
        return web.json_response({"disconnects_to_lose": self.disconnects_to_lose})

    async def dev_lose_next_message(self, request: web.Request) -> web.Response:
        """The next `message` event posted to each socket whose User-Agent contains
        `?user_agent=` is taken and never delivered: a page must notice the gap in `seq`."""
        needle = request.query.get("user_agent", "")
        if not needle:
            return web.json_response({"code": "bad_request", "message": "Say ?user_agent=."}, status=400)
        chosen = [c for c, agent in self.user_agents.items() if needle in agent]
        for connection_id in chosen:
            self.messages_to_lose[connection_id] = self.messages_to_lose.get(connection_id, 0) + 1
        return web.json_response({"sockets": len(chosen)})

    async def dev_drop_sockets(self, request: web.Request) -> web.Response:
        """Close every socket whose User-Agent contains `?user_agent=`: a browser's Wi-Fi drops."""
        needle = request.query.get("user_agent", "")
        if not needle:
            return web.json_response({"code": "bad_request", "message": "Say ?user_agent=."}, status=400)
        dropped = [c for c, agent in self.user_agents.items() if needle in agent]
        for connection_id in dropped:
            socket = self.sockets.get(connection_id)
            if socket is not None:
                await socket.close(code=4000, message=b"dropped")
        return web.json_response({"dropped": len(dropped)})

    async def dev_sockets(self, request: web.Request) -> web.Response:
        """The connection ids of the open sockets (for tests of the management API)."""
        return web.json_response([c for c, socket in self.sockets.items() if not socket.closed])

    async def dev_calls(self, request: web.Request) -> web.Response:
        return web.json_response(dict(aws.calls))

    # --- scheduled functions on their own schedule --------------------------------------------

    async def run_schedules(self) -> None:
        tasks = []
        for source in self.app.event_sources:
            expression = getattr(source, "schedule_expression", None)
            if expression is None:
                continue
            seconds = _rate_seconds(expression if isinstance(expression, str) else expression.to_string())
            handler = getattr(self.app_module, source.name)
            tasks.append(asyncio.create_task(self._every(seconds, handler, source.name)))
        await asyncio.gather(*tasks)

    async def _every(self, seconds: float, handler: Any, name: str) -> None:
        while True:
            await asyncio.sleep(seconds)
            event = scheduled_event(name)
            try:
                await self.invoke(handler, event)
            except Exception as error:  # a failing job must not stop the schedule
                print(f"scheduled job failed: {error!r}", flush=True)

    # --- wiring ---------------------------------------------------------------------------------

    def web_app(self) -> web.Application:
        """The routes, served on the running event loop (which posts from handlers reach)."""
        self.loop, self.loop_thread = asyncio.get_running_loop(), threading.get_ident()
        aws.post_in_process = self._post_in_process
        # API Gateway's REST payload limit, 10 MB; a larger body is refused with 413 as there.
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.on_response_prepare.append(_nosniff)
        app.router.add_get("/ws", self.websocket)
        for prefix in ("", "/ws"):
            app.router.add_post(prefix + "/@connections/{connection_id}", self.post_to_connection)
            app.router.add_get(prefix + "/@connections/{connection_id}", self.get_connection)
            app.router.add_delete(prefix + "/@connections/{connection_id}", self.delete_connection)
        app.router.add_route("*", "/api/{tail:.*}", self.rest_api)
        app.router.add_get("/chat/{library_id}", self.chat_page)
        app.router.add_get("/widget/{path:.*}", self.static)
        for section in ("monitor", "demo"):
            app.router.add_get(f"/{section}", _redirect(f"/{section}/"))
            app.router.add_get(f"/{{section:{section}}}/{{path:.*}}", self.static)
        app.router.add_get("/", _redirect("/demo/"))
        app.router.add_get("/dev/outbox", self.dev_outbox)
        app.router.add_post("/dev/jobs/{job}", self.dev_job)
        app.router.add_get("/dev/calls", self.dev_calls)
        app.router.add_get("/dev/sockets", self.dev_sockets)
        app.router.add_post("/dev/lose_next_disconnect", self.dev_lose_next_disconnect)
        app.router.add_post("/dev/drop_sockets", self.dev_drop_sockets)
        app.router.add_post("/dev/lose_next_message", self.dev_lose_next_message)
        app.router.add_post("/dev/fixtures", self.dev_fixtures)
        return app


def scheduled_event(rule: str) -> dict[str, Any]:
    """A scheduled invocation as EventBridge sends it."""
    region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    return {
        "version": "0",
        "id": uuid.uuid4().hex,
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": clock.iso(clock.now()),
        "region": region,
        "resources": [f"arn:aws:events:{region}:123456789012:rule/{rule}"],
        "detail": {},
    }


def _rate_seconds(expression: str) -> float:
    match = re.fullmatch(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)", expression)
    if not match:
        return 60.0
    unit = {"minute": 60, "hour": 3600, "day": 86400}[match.group(2).rstrip("s")]
    return int(match.group(1)) * unit
