"""HTTP answers as plain data, built by the routes and written by the handler."""

import json
from dataclasses import dataclass, field


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json;charset=UTF-8"
    headers: dict = field(default_factory=dict)
    reset: bool = False  # drop the connection instead of answering


def json_response(status: int, body, headers=None) -> Response:
    return Response(status, json.dumps(body).encode("utf-8"), headers=dict(headers or {}))


def html_response(status: int, text: str, headers=None) -> Response:
    return Response(status, text.encode("utf-8"), "text/html; charset=utf-8", dict(headers or {}))


def redirect(location: str) -> Response:
    return Response(302, b"", "text/plain", {"Location": location})
