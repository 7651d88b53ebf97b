"""Money, in one place. Every amount is stored and counted in integer pence; pounds
appear only at the edges: shown on a page, typed into a form."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms


def pounds(pence: int | None) -> str:
    """An amount for reading: 150000 → "£1,500", 150050 → "£1,500.50", None → "—"."""
    if pence is None:
        return "—"
    if pence % 100 == 0:
        return f"£{pence // 100:,}"
    return f"£{pence / 100:,.2f}"


def decimal_pounds(pence: int) -> str:
    """An amount for a number input: 150050 → "1500.50"."""
    return f"{pence // 100}.{pence % 100:02d}"


def pence(value: Decimal | None) -> int | None:
    """Pounds as a form cleans them (a Decimal) in pence; None stays None."""
    return None if value is None else int((value * 100).to_integral_value())


def parse_pounds(text: str) -> int:
    """Typed pounds ("12.5", "1500") in pence; ValueError if it is not a number."""
    try:
        return pence(Decimal(text.strip()))
    except (InvalidOperation, AttributeError):
        raise ValueError(f"not an amount of pounds: {text!r}") from None


class PoundsField(forms.DecimalField):
    """An optional, non-negative amount of pounds with pence; `pence()` stores it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
