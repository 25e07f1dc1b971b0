"""The answers of API Gateway's management API to a post, as the local gateway gives them: over
HTTP (its `/@connections` routes) and to botocore directly (the handlers' posts in process).

Apart from the gateway so that a test can check what boto3 makes of them without loading the
service."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from aiohttp import web
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders


class Answer(NamedTuple):
    """The management API's answer to a post: its status and, for a refusal, why."""

    status: int
    message: str = ""
    error_type: str = ""  # x-amzn-ErrorType, which botocore makes the exception of

    def http(self) -> web.Response:
        if not self.error_type:
            return web.Response(status=self.status)
        headers = {"x-amzn-ErrorType": self.error_type}
        return web.json_response({"message": self.message}, status=self.status, headers=headers)

    def botocore(self, url: str) -> AWSResponse:
        headers = HTTPHeaders()
        body = b""
        if self.error_type:
            headers["x-amzn-ErrorType"] = self.error_type
            headers["Content-Type"] = "application/json"
            body = json.dumps({"message": self.message}).encode()
        return AWSResponse(url, self.status, headers, _Raw(body))


class _Raw(io.BytesIO):
    """A response body as botocore reads one (what urllib3's response offers: `stream`)."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.read()
