"""A small, faithful stand-in for the parts of GOV.UK Notify's HTTP API we use (its
REST API documentation: docs.notifications.service.gov.uk/rest-api.html), served on
this machine because Notify itself cannot be reached from here:

- authentication as Notify does it: a JWT (HS256) signed with the API key's secret,
  its issuer the service id, issued within 30 seconds (checked with the same
  `notifications_python_client.authentication` code Notify's API uses); anything
  else is refused 403 with Notify's AuthError body;
- POST /v2/notifications/email and /sms: the template must exist and be of that kind,
  every ((placeholder)) given, the address or UK mobile number valid (400
  BadRequestError / ValidationError otherwise); 201 with the notification's id;
- POST /v2/notifications/letter, precompiled: a reference and a base64 PDF (A4)
  required; 201 with the id, status "pending-virus-check";
- GET /v2/notifications/<id>: the notification and its status;
- delivery receipts: `receipt(id, status)` sets a status and POSTs Notify's callback
  body to the service's callback URL with its bearer token, as Notify does.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from notifications_python_client.authentication import (
    decode_jwt_token,
    get_token_issuer,
)
from notifications_python_client.errors import TokenError

PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
UK_MOBILE = re.compile(r"(?:\+44|0044|0)7\d{9}")
A4_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+595\.\d+\s+841\.\d+\s*\]")


class NotifyStandIn:
    def __init__(self):
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        self.templates: dict[str, dict] = {}
        self.notifications: dict[str, dict] = {}
        self.callback_url = ""
        self.callback_token = ""
        self.down = False  # answer every request 503, as Notify does in an outage
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def api_key(self, *, secret: str | None = None) -> str:
        """An API key as Notify issues them: name-serviceid-secret."""
        return f"nb_test-{self.service_id}-{secret or self.secret}"

    def template(self, kind: str, subject: str = "((subject))", body: str = "((body))"):
        template_id = str(uuid.uuid4())
        self.templates[template_id] = {"type": kind, "subject": subject, "body": body}
        return template_id

    def sent(self, kind: str) -> list[dict]:
        return [n for n in self.notifications.values() if n["type"] == kind]

    def receipt(self, notification_id: str, status: str) -> int:
        """Notify's delivery receipt for one notification, to the callback URL."""
        n = self.notifications[notification_id]
        n["status"] = status
        return self.post_callback(
            self.callback_url,
            {"Authorization": f"Bearer {self.callback_token}"},
            {
                "id": notification_id,
                "reference": n.get("reference"),
                "to": n.get("to"),
                "status": status,
                "created_at": "2026-12-07T10:00:00.000000Z",
                "completed_at": "2026-12-07T10:00:05.000000Z",
                "sent_at": "2026-12-07T10:00:01.000000Z",
                "notification_type": n["type"],
            },
        )

    @staticmethod
    def post_callback(url: str, headers: dict, body: dict) -> int:
        """POST a delivery receipt over HTTP (a test without a server running gives
        its own, through Django's test client)."""
        return httpx.post(url, headers=headers, json=body).status_code

    def close(self):
        self._server.shutdown()

    # The HTTP side.

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status, error, message):
                self._answer(
                    status,
                    {
                        "status_code": status,
                        "errors": [{"error": error, "message": message}],
                    },
                )

            def _authorised(self) -> bool:
                if stand_in.down:
                    self._error(503, "ServiceUnavailable", "Service is unavailable")
                    return False
                header = self.headers.get("Authorization", "")
                if not header.startswith("Bearer "):
                    self._error(
                        401,
                        "AuthError",
                        "Unauthorized: authentication token must be provided",
                    )
                    return False
                token = header.removeprefix("Bearer ")
                try:
                    if get_token_issuer(token) != stand_in.service_id:
                        raise TokenError("Invalid token: service not found")
                    decode_jwt_token(token, stand_in.secret)
                except TokenError as error:
                    self._error(403, "AuthError", error.message)
                    return False
                return True

            def do_GET(self):
                if not self._authorised():
                    return
                found = re.fullmatch(r"/v2/notifications/([0-9a-f-]+)", self.path)
                n = found and stand_in.notifications.get(found.group(1))
                if not n:
                    self._error(404, "NoResultFound", "No result found")
                    return
                self._answer(200, {k: v for k, v in n.items() if k != "pdf"})

            def do_POST(self):
                if not self._authorised():
                    return
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    self._error(
                        400, "BadRequestError", "Invalid JSON supplied in POST data"
                    )
                    return
                kind = self.path.removeprefix("/v2/notifications/")
                if kind == "letter":
                    self._letter(body)
                elif kind in ("email", "sms"):
                    self._message(kind, body)
                else:
                    self._error(404, "NotFound", "Not found")

            def _message(self, kind, body):
                to_key = "email_address" if kind == "email" else "phone_number"
                to = str(body.get(to_key) or "")
                template = stand_in.templates.get(str(body.get("template_id")))
                if not to:
                    self._error(
                        400, "ValidationError", f"{to_key} is a required property"
                    )
                elif template is None or template["type"] != kind:
                    self._error(400, "BadRequestError", "Template not found")
                elif kind == "email" and not EMAIL.fullmatch(to):
                    self._error(
                        400,
                        "ValidationError",
                        "email_address Not a valid email address",
                    )
                elif kind == "sms" and not UK_MOBILE.fullmatch(
                    re.sub(r"[\s()-]", "", to)
                ):
                    self._error(
                        400, "ValidationError", "phone_number Not a UK mobile number"
                    )
                else:
                    given = body.get("personalisation") or {}
                    text = template["subject"] + template["body"]
                    missing = [p for p in PLACEHOLDER.findall(text) if p not in given]
                    if missing:
                        self._error(
                            400,
                            "BadRequestError",
                            f"Missing personalisation: {', '.join(missing)}",
                        )
                        return

                    def fill(text):
                        return PLACEHOLDER.sub(lambda m: str(given[m.group(1)]), text)

                    n = stand_in._store(kind, to, body.get("reference"),
                                        subject=fill(template["subject"]), body=fill(template["body"]),
                                        template=body["template_id"], status="created")  # fmt: skip
                    content = {"body": n["body"]}
                    if kind == "email":
                        content["subject"] = n["subject"]
                    self._answer(201, {"id": n["id"], "reference": n["reference"], "content": content,
                                       "template": {"id": n["template"], "version": 1}})  # fmt: skip

            def _letter(self, body):
                if not body.get("reference"):
                    self._error(
                        400, "ValidationError", "reference is a required property"
                    )
                    return
                try:
                    pdf = base64.b64decode(body.get("content") or "", validate=True)
                except ValueError:
                    pdf = b""
                if not pdf.startswith(b"%PDF-"):
                    self._error(
                        400, "ValidationError", "Letter content is not a valid PDF"
                    )
                    return
                if not A4_MEDIABOX.search(pdf):
                    self._error(
                        400, "ValidationError", "Your letter is not A4 portrait size"
                    )
                    return
                n = stand_in._store("letter", "", body["reference"], pdf=pdf,
                                    postage=body.get("postage") or "second",
                                    status="pending-virus-check")  # fmt: skip
                self._answer(
                    201,
                    {
                        "id": n["id"],
                        "reference": n["reference"],
                        "postage": n["postage"],
                    },
                )

        return Handler

    def _store(self, kind, to, reference, **fields):
        n = {
            "id": str(uuid.uuid4()),
            "type": kind,
            "to": to,
            "reference": reference,
            **fields,
        }
        self.notifications[n["id"]] = n
        return n
