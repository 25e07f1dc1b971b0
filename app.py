"""Refdesk's Lambda entry points: a table of contents, each wired to one function in chalicelib."""

from chalice import Chalice, Rate

from chalicelib import dispatch, jobs, presence, rest
from chalicelib.observability import http_middleware, logger, scheduled_middleware, websocket_middleware

app = Chalice(app_name="refdesk")
app.experimental_feature_flags.update(["WEBSOCKETS"])
app.register_middleware(websocket_middleware, "websocket")
app.register_middleware(http_middleware, "http")
app.register_middleware(scheduled_middleware, "scheduled")


# --- WebSocket API (API Gateway routes $connect, $default, $disconnect) ---------------------


@app.on_ws_connect()
def ws_connect(event):
    return presence.on_connect(event.connection_id, event.to_dict())


@app.on_ws_message()
def ws_message(event):
    dispatch.handle(event.connection_id, event.body)


@app.on_ws_disconnect()
def ws_disconnect(event):
    presence.disconnect(event.connection_id)


# --- REST API (/api) ----------------------------------------------------------------------


@app.route("/login", methods=["POST"], cors=True)
def login():
    return rest.login(app.current_request)


@app.route("/me", methods=["GET"], cors=True)
def me():
    return rest.me(app.current_request)


@app.route("/libraries/{library_id}/availability", methods=["GET"], cors=True)
def availability(library_id):
    return rest.availability(library_id)


@app.route("/libraries/{library_id}/policy", methods=["GET"], cors=True)
def policy(library_id):
    return rest.policy(app.current_request, library_id)


@app.route("/libraries/{library_id}/codes", methods=["GET"], cors=True)
def get_codes(library_id):
    return rest.get_codes(app.current_request, library_id)


@app.route("/libraries/{library_id}/codes", methods=["PUT"], cors=True)
def put_codes(library_id):
    return rest.put_codes(app.current_request, library_id)


@app.route("/questions", methods=["GET"], cors=True)
def list_questions():
    return rest.list_questions(app.current_request)


@app.route("/questions/{question_id}", methods=["GET"], cors=True)
def get_question(question_id):
    return rest.get_question(app.current_request, question_id)


@app.route("/questions/{question_id}/answer", methods=["POST"], cors=True)
def answer_question(question_id):
    return rest.answer_question(app.current_request, question_id)


@app.route("/questions/{question_id}/notes", methods=["POST"], cors=True)
def note_question(question_id):
    return rest.note_question(app.current_request, question_id, "note")


@app.route("/questions/{question_id}/librarian-message", methods=["POST"], cors=True)
def message_librarian(question_id):
    return rest.note_question(app.current_request, question_id, "librarian_message")


@app.route("/questions/{question_id}/close", methods=["POST"], cors=True)
def close_question(question_id):
    return rest.close_question(app.current_request, question_id)


# --- scheduled jobs -----------------------------------------------------------------------


@app.schedule(Rate(1, unit=Rate.MINUTES))
def expire_reconnects(event):
    return jobs.run("expire_reconnects")


@app.schedule(Rate(5, unit=Rate.MINUTES))
def sweep_connections(event):
    return jobs.run("sweep_connections")


@app.schedule(Rate(15, unit=Rate.MINUTES))
def clear_in_progress(event):
    return jobs.run("clear_in_progress")


__all__ = ["app", "logger"]
