"""HTTP request handling: routing, the API gateway steps, OAuth endpoints, responses."""

import json
import socket
import struct
import uuid
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

from . import api, const, control, faults, pages
from .core import RequestRecord
from .entities import lookup
from .inject import Injection
from .oauth import OAuthError, discovery
from .responses import Response, html_response, json_response, redirect

#: injected kinds that save the write, then answer with a failure
COMMIT_KINDS = {"commit_then_fail": "reset", "commit_then_500": "500", "commit_then_6000": "6000"}
XML = "application/xml"
LOST_TOKEN_KINDS = ("commit_then_fail", "lost_refresh")
TOKEN_PATH = "/oauth2/v1/tokens/bearer"
OAUTH_PATHS = ("/connect/oauth2", "/oauth2/v1/tokens/bearer", "/v2/oauth2/tokens/revoke")
DISCOVERY_PATHS = ("/.well-known/openid_configuration", "/.well-known/openid_sandbox_configuration")


def first_values(query: str) -> dict:
    return {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server_version = "QBOSandbox/1.0"

    @property
    def sandbox(self):
        return self.server.sandbox

    def log_message(self, format, *args):
        return

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PUT(self):
        self.route("PUT")

    def do_DELETE(self):
        self.route("DELETE")

    # -- routing -----------------------------------------------------------------------------
    def route(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        params = first_values(url.query)
        path = url.path.rstrip("/") or "/"
        try:
            if path.startswith("/v3/company/"):
                response = self.api(method, path, params, body)
            elif path in OAUTH_PATHS:
                response = self.oauth(method, path, params, body)
            elif path in DISCOVERY_PATHS:
                response = json_response(200, discovery(self.base_url()))
            elif path == "/op/v1/jwks":
                response = json_response(200, {"keys": []})
            elif path == "/v1/openid_connect/userinfo":
                response = json_response(
                    200, self.sandbox.oauth.user_info(self.headers.get("Authorization"))
                )
            elif path.startswith("/_sandbox/"):
                status, answer = control.handle(
                    self.sandbox, path[len("/_sandbox/") :], method, body
                )
                response = json_response(status, answer)
            elif path == "/" or path.startswith("/app"):
                response = pages.handle(self.sandbox, method, path, params, body)
            else:
                response = Response(404, b"Not Found", "text/plain")
        except OAuthError as exc:
            response = json_response(exc.status, exc.body())
        if method != "GET":
            self.sandbox.save_state()  # before answering: what was answered is kept
        self.send(response)

    def base_url(self) -> str:
        host = self.headers.get("Host") or "%s:%s" % self.server.server_address[:2]
        return f"http://{host}"

    def send(self, response: Response) -> None:
        if response.reset:
            self.reset_connection()
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(response.body)

    def reset_connection(self) -> None:
        """Close with RST and no answer, as a dropped connection looks to the client."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    # -- OAuth -------------------------------------------------------------------------------
    def oauth(self, method: str, path: str, params: dict, body: bytes) -> Response:
        sandbox = self.sandbox
        record = sandbox.log_request(RequestRecord(method, path, None, params, None, None))
        form = first_values(body.decode("utf-8", "replace"))
        if path == "/connect/oauth2":
            response = self.authorize(method, params if method == "GET" else form)
        elif method != "POST":
            response = Response(405, b"Method Not Allowed", "text/plain")
        elif path == TOKEN_PATH:
            response = self.token(form)
        else:
            try:
                token = json.loads(body.decode("utf-8") or "{}").get("token")
            except (ValueError, AttributeError):
                response = json_response(400, {"error": "invalid_request"})
            else:
                try:
                    sandbox.oauth.revoke(self.headers, token)
                    response = Response(200, b"", "application/json")
                except OAuthError as exc:
                    response = json_response(exc.status, exc.body())
        response.headers.setdefault("intuit_tid", record.intuit_tid)
        record.status = None if response.reset else response.status
        return response

    def token(self, form: dict) -> Response:
        """Code exchange or refresh, unless an injected or profile fault says otherwise; a
        "lost" one is carried out (the refresh token rotates) and its answer dropped."""
        sandbox = self.sandbox
        injected = sandbox.injector.take("POST", TOKEN_PATH, None, by_path=True)
        kind = injected.kind if injected else sandbox.strike("token")
        if kind == "timeout":
            sandbox.stopping.wait(sandbox.slow_seconds)
        elif kind and kind not in LOST_TOKEN_KINDS:
            return self.injected(injected or Injection(kind, 1))
        try:
            hard = (self.headers.get("x-include-refresh-token-hard-expires-in") or "").lower()
            answer = sandbox.oauth.token(self.headers, form, hard == "true")
        except OAuthError as exc:
            return json_response(exc.status, exc.body())
        if kind in LOST_TOKEN_KINDS:
            return Response(200, reset=True)
        return json_response(200, answer, {"Cache-Control": "no-store"})

    def authorize(self, method: str, params: dict) -> Response:
        sandbox = self.sandbox
        try:
            sandbox.oauth.check_authorize(
                params.get("client_id"), params.get("redirect_uri"), params.get("response_type")
            )
        except OAuthError as exc:
            return html_response(400, pages.oauth_error(exc))
        if method == "GET":
            return html_response(200, pages.authorize_page(sandbox, params))
        redirect_uri = params["redirect_uri"]
        joiner = "&" if "?" in redirect_uri else "?"
        state = {"state": params["state"]} if params.get("state") is not None else {}
        if params.get("action") == "deny":
            return redirect(redirect_uri + joiner + urlencode({"error": "access_denied", **state}))
        realm_id = params.get("realm_id")
        if realm_id not in sandbox.companies:
            return html_response(400, pages.authorize_page(sandbox, params, "Pick a company."))
        scope = params.get("scope") or ""
        with_realm = any(s in scope.split() for s in const.REALM_SCOPES)
        code = sandbox.oauth.issue_code(
            params["client_id"], realm_id if with_realm else None, scope, redirect_uri
        )
        query = {"code": code, **state}
        if with_realm:
            query["realmId"] = realm_id
        return redirect(redirect_uri + joiner + urlencode(query))

    # -- Accounting API ----------------------------------------------------------------------
    def api(self, method: str, path: str, params: dict, body: bytes) -> Response:
        sandbox = self.sandbox
        parts = path.split("/")
        realm_id = parts[3]
        segments = [p for p in parts[4:] if p]
        entity = lookup(segments[0]) if segments else None
        record = sandbox.log_request(
            RequestRecord(
                method,
                path,
                realm_id,
                params,
                params.get("requestid"),
                entity.name if entity else (segments[0].lower() if segments else None),
                str(uuid.uuid4()),
            )
        )
        response = self.gateway(method, path, params, body, realm_id, segments, record)
        response.headers.setdefault("intuit_tid", record.intuit_tid)
        record.status = None if response.reset else response.status
        return response

    def gateway(self, method, path, params, body, realm_id, segments, record) -> Response:
        sandbox = self.sandbox
        # a write carrying Id + SyncToken: an update, a delete or a void (each can be 5010)
        is_update = (
            method == "POST"
            and record.entity not in (None, "query", "batch", "cdc")
            and params.get("operation") in (None, "", "update", "delete", "void")
            and b'"Id"' in body
        )
        commit_then_fail = None  # saved, then answered with this failure
        injected = sandbox.injector.take(method, path, realm_id, is_update)
        if injected:
            if injected.kind == "timeout":
                sandbox.stopping.wait(sandbox.slow_seconds)
            elif injected.kind in COMMIT_KINDS:
                commit_then_fail = COMMIT_KINDS[injected.kind]
            else:
                return self.injected(injected)
        if method == "POST" and record.entity not in (None, "query", "cdc"):
            commit_then_fail = commit_then_fail or sandbox.strike("write")
        try:
            sandbox.oauth.authenticate(self.headers.get("Authorization"), realm_id)
        except faults.GatewayFault as fault:
            return self.fault(fault)
        accept = (self.headers.get("Accept") or "").lower()
        if "application/json" not in accept:
            return Response(
                406,
                b"This sandbox answers in JSON only: send Accept: "
                b"application/json (QuickBooks would answer in XML).",
                "text/plain",
            )
        company = sandbox.companies.get(realm_id)
        retry_after = sandbox.limits.acquire(realm_id, batch=record.entity == "batch")
        if retry_after is not None:
            return self.throttled(retry_after)
        try:
            if sandbox.latency:  # a slow request stays "in flight" for the concurrency limit
                sandbox.stopping.wait(sandbox.latency)
            status, answer, events = api.dispatch(
                sandbox, company, method, segments, params, self.headers, body
            )
        except faults.QboFault as fault:
            return self.fault(fault)
        finally:
            sandbox.limits.release(realm_id)
        sandbox.publish(realm_id, events)
        if commit_then_fail == "reset":
            return Response(status, reset=True)
        if commit_then_fail:
            return self.fault(faults.system() if commit_then_fail == "500" else faults.transient())
        return json_response(status, answer)

    def injected(self, injected) -> Response:
        sandbox = self.sandbox
        kind = injected.kind
        if kind == "reset":
            return Response(0, reset=True)
        if kind.startswith("429"):
            seconds = injected.retry_after or sandbox.limits.scaled(const.INJECT_RETRY_AFTER)
            return self.throttled(seconds, kind.partition("_")[2] or None)
        if kind == "503":
            return html_response(
                503,
                "<html><body><h1>503 Service Unavailable</h1>"
                "<p>No server is available to handle this request.</p>"
                "</body></html>",
            )
        fault = {
            "500": faults.system(),
            "6000": faults.transient(),
            "401": faults.authentication("Token invalid: rejected by the gateway"),
            "5010": faults.stale(),
        }[kind]
        return self.fault(fault)

    def throttled(self, retry_after: int, style: str | None = None) -> Response:
        """A 429 in the profile's style: JSON with Retry-After, JSON without, or XML without
        (as QBO has answered even to ``Accept: application/json``)."""
        style = style or self.sandbox.profile.throttle_style
        if style == "xml":
            return Response(429, faults.throttle_xml(self.sandbox.clock.response_time()), XML)
        response = self.fault(faults.throttled(retry_after))
        if style == "bare":
            response.headers.pop("Retry-After", None)
        return response

    def fault(self, fault: faults.QboFault) -> Response:
        clock = self.sandbox.clock
        if isinstance(fault, faults.GatewayFault):
            body = fault.body(clock.response_time(), int(clock.time() * 1000))
        else:
            body = fault.body(clock.response_time())
        return json_response(fault.status, body, fault.headers)
