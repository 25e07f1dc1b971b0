"""Refdesk's Lambda entry points: a table of contents, each wired to one function in chalicelib."""

from chalice.app import Chalice, Rate

from chalicelib import delivery
from chalicelib.actions import canned, jobs, library, library_settings, question_list, reports, signin, staff
from chalicelib.domain import presence
from chalicelib.entry import http, websocket
from chalicelib.observability import http_middleware, logger, scheduled_middleware, websocket_middleware
from chalicelib.wire.accounts import NewStaffBody, PasswordBody, StaffChangeBody
from chalicelib.wire.canned import CannedMessages
from chalicelib.wire.library_settings import LibrarySettings, PolicyBody
from chalicelib.wire.reports import ReportQuery
from chalicelib.wire.rest import CodeLists, LoginBody, QuestionQuery, TextBody

app = Chalice(app_name="refdesk")
app.experimental_feature_flags.update(["WEBSOCKETS"])
app.register_middleware(websocket_middleware, "websocket")
app.register_middleware(websocket.endpoint_middleware, "websocket")
app.register_middleware(http_middleware, "http")
app.register_middleware(scheduled_middleware, "scheduled")
delivery.on_gone(presence.disconnect)  # a post that meets a closed socket forgets it


# --- WebSocket API (API Gateway routes $connect, $default, $disconnect) ---------------------


@app.on_ws_connect()
def ws_connect(event):
    return websocket.connect(event.connection_id, event.to_dict())


@app.on_ws_message()
def ws_message(event):
    websocket.handle(event.connection_id, event.body)


@app.on_ws_disconnect()
def ws_disconnect(event):
    websocket.disconnect(event.connection_id)


# --- REST API (/api) ----------------------------------------------------------------------


@app.route("/login", methods=["POST"], cors=True)
def login():
    return http.call(signin.login, app.current_request, public=True, body=LoginBody)


@app.route("/me", methods=["GET"], cors=True)
def me():
    return http.call(signin.me, app.current_request)


@app.route("/ws-ticket", methods=["POST"], cors=True)
def ws_ticket():
    return http.call(signin.ws_ticket, app.current_request)


@app.route("/logout", methods=["POST"], cors=True)
def logout():
    return http.call(staff.logout, app.current_request)


@app.route("/password", methods=["POST"], cors=True)
def password():
    return http.call(staff.set_password, app.current_request, signed_in_or_not=True, body=PasswordBody)


@app.route("/libraries/{library_id}/staff", methods=["GET"], cors=True)
def list_staff(library_id):
    return http.call(staff.list_staff, app.current_request, library_id=library_id)


@app.route("/libraries/{library_id}/staff", methods=["POST"], cors=True)
def add_staff(library_id):
    return http.call(staff.add_staff, app.current_request, body=NewStaffBody, library_id=library_id)


@app.route("/staff/{email}", methods=["PATCH"], cors=True)
def change_staff(email):
    return http.call(staff.change_staff, app.current_request, body=StaffChangeBody, email=email)


@app.route("/libraries/{library_id}/availability", methods=["GET"], cors=True)
def availability(library_id):
    return http.call(library.availability, app.current_request, public=True, library_id=library_id)


@app.route("/libraries/{library_id}/policy", methods=["GET"], cors=True)
def policy(library_id):
    return http.call(library.policy, app.current_request, library_id=library_id)


@app.route("/libraries/{library_id}/policy", methods=["PUT"], cors=True)
def put_policy(library_id):
    return http.call(library_settings.put_policy, app.current_request, body=PolicyBody, library_id=library_id)


@app.route("/libraries/{library_id}", methods=["GET"], cors=True)
def get_library(library_id):
    return http.call(library_settings.get_settings, app.current_request, library_id=library_id)


@app.route("/libraries/{library_id}", methods=["PUT"], cors=True)
def put_library(library_id):
    return http.call(
        library_settings.put_settings, app.current_request, body=LibrarySettings, library_id=library_id
    )


@app.route("/libraries/{library_id}/codes", methods=["GET"], cors=True)
def get_codes(library_id):
    return http.call(library.get_codes, app.current_request, library_id=library_id)


@app.route("/libraries/{library_id}/codes", methods=["PUT"], cors=True)
def put_codes(library_id):
    return http.call(library.put_codes, app.current_request, body=CodeLists, library_id=library_id)


@app.route("/libraries/{library_id}/canned", methods=["GET"], cors=True)
def get_canned(library_id):
    return http.call(canned.get_canned, app.current_request, library_id=library_id)


@app.route("/libraries/{library_id}/canned", methods=["PUT"], cors=True)
def put_canned(library_id):
    return http.call(canned.put_canned, app.current_request, body=CannedMessages, library_id=library_id)


@app.route("/questions", methods=["GET"], cors=True)
def list_questions():
    return http.call(question_list.list_questions, app.current_request, query=QuestionQuery)


@app.route("/questions/{question_id}", methods=["GET"], cors=True)
def get_question(question_id):
    return http.call(question_list.get_question, app.current_request, question_id=question_id)


@app.route("/questions/{question_id}/answer", methods=["POST"], cors=True)
def answer_question(question_id):
    return http.call(question_list.answer, app.current_request, body=TextBody, question_id=question_id)


@app.route("/questions/{question_id}/notes", methods=["POST"], cors=True)
def note_question(question_id):
    return http.call(
        question_list.note, app.current_request, body=TextBody, question_id=question_id, kind="note"
    )


@app.route("/questions/{question_id}/librarian-message", methods=["POST"], cors=True)
def message_librarian(question_id):
    return http.call(
        question_list.note,
        app.current_request,
        body=TextBody,
        question_id=question_id,
        kind="librarian_message",
    )


@app.route("/questions/{question_id}/close", methods=["POST"], cors=True)
def close_question(question_id):
    return http.call(question_list.close, app.current_request, question_id=question_id)


@app.route("/questions/{question_id}/patron-data", methods=["DELETE"], cors=True)
def forget_patron(question_id):
    return http.call(question_list.forget_patron, app.current_request, question_id=question_id)


@app.route("/reports", methods=["GET"], cors=True)
def get_report():
    return http.call(reports.report, app.current_request, query=ReportQuery)


# --- scheduled jobs -----------------------------------------------------------------------


@app.schedule(Rate(1, unit=Rate.MINUTES))
def expire_reconnects(event):
    return jobs.run("expire_reconnects")


@app.schedule(Rate(1, unit=Rate.MINUTES))
def escalate_waiting(event):
    return jobs.run("escalate_waiting")


@app.schedule(Rate(1, unit=Rate.MINUTES))
def expire_transfer_offers(event):
    return jobs.run("expire_transfer_offers")


@app.schedule(Rate(5, unit=Rate.MINUTES))
def sweep_connections(event):
    return jobs.run("sweep_connections")


@app.schedule(Rate(15, unit=Rate.MINUTES))
def clear_in_progress(event):
    return jobs.run("clear_in_progress")


@app.schedule(Rate(1, unit=Rate.HOURS))
def purge_personal_data(event):
    return jobs.run("purge_personal_data")


__all__ = ["app", "logger"]
