"""GOV.UK Notify as the outbox's delivery channel (docs/gov-uk-notify.md): email, text
messages and precompiled letters through the official client,
`notifications-python-client`, when NOTIFY_API_KEY is set; Django's mail otherwise.

Each of our messages goes out through a Notify template with the personalisation
`subject` and `body` (our own text, rendered in the recipient's language): the council
makes one template per channel and language in Notify ("((subject))" and "((body))"),
and may give any message its own (NOTIFY_TEMPLATES). Whether a refusal is worth trying
again is Notify's to say: a 400 (a bad address, a missing template) never will be; a
403 (a wrong key), a 429 (over the rate limit) or a 5xx may, once someone or time has
mended it.
"""

from __future__ import annotations

import io

from django.conf import settings

# Notify's statuses (its "Delivery receipts"): the last word on a message.
FINAL = {
    "delivered",
    "permanent-failure",
    "temporary-failure",
    "technical-failure",
    "received",  # a letter, handed to Royal Mail
    "cancelled",
    "validation-failed",
}
FAILED = FINAL - {"delivered", "received"}

# GSM 03.38: a text in these characters only takes 160 a part (153 when in several
# parts); any other character (Welsh ŵ and ŷ, â, ê, î, ô, û among them) makes it
# Unicode: 70 a part, 67 when in several.
GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKL"
    "MNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€")  # two characters each


def enabled() -> bool:
    return bool(settings.NB_NOTIFY["api_key"])


def client():
    from notifications_python_client.notifications import NotificationsAPIClient

    return NotificationsAPIClient(
        settings.NB_NOTIFY["api_key"], base_url=settings.NB_NOTIFY["base_url"]
    )


def template_for(channel: str, name: str, language: str) -> str:
    """The Notify template of a message: its own, else the channel's, in the
    recipient's language (Welsh where they chose Welsh and the council made one)."""
    templates = settings.NB_NOTIFY["templates"]
    for key in (name, channel):
        found = templates.get(key) or {}
        if found.get(language) or found.get("en"):
            return found.get(language) or found["en"]
    raise LookupError(f"no GOV.UK Notify template for {channel} messages")


def send(channel: str, *, to: str, name: str, language: str, subject: str, body: str,
         reference: str) -> str:  # fmt: skip
    """Hand one email or text message to Notify; returns its notification id."""
    template = template_for(channel, name, language)
    personalisation = {"subject": subject, "body": body}
    api = client()
    if channel == "sms":
        response = api.send_sms_notification(
            phone_number=to,
            template_id=template,
            personalisation=personalisation,
            reference=reference,
        )
    else:
        response = api.send_email_notification(
            email_address=to,
            template_id=template,
            personalisation=personalisation,
            reference=reference,
        )
    return response["id"]


def send_letter(pdf: bytes, reference: str) -> str:
    """Hand one precompiled letter (a PDF in Notify's letter format) to Notify."""
    response = client().send_precompiled_letter_notification(
        reference=reference,
        pdf_file=io.BytesIO(pdf),
        postage=settings.NB_NOTIFY["postage"],
    )
    return response["id"]


def status_of(notification_id: str) -> str:
    return client().get_notification_by_id(notification_id)["status"]


def refusal(error) -> tuple[str, bool]:
    """Notify's refusal in words, and whether it is final (never worth retrying)."""
    from notifications_python_client.errors import HTTPError

    if isinstance(error, HTTPError):
        messages = error.message
        if isinstance(messages, list):
            messages = "; ".join(str(m.get("message", m)) for m in messages)
        return (
            f"GOV.UK Notify {error.status_code}: {messages}",
            error.status_code == 400,
        )
    return f"{type(error).__name__}: {error}", False


def sms_parts(text: str) -> int:
    """How many parts (each paid for past the free allowance) a text message takes."""
    if set(text) <= GSM | GSM_EXTENDED:
        length = len(text) + sum(1 for c in text if c in GSM_EXTENDED)
        single, multi = 160, 153
    else:
        length, single, multi = len(text), 70, 67
    if length <= single:
        return 1
    return -(-length // multi)
