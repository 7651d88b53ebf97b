"""Money, in one place. Every amount is stored and counted in integer pence; pounds
appear only at the edges: shown on a page, typed into a form."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.db import models


def pounds(pence: int | None) -> str:
    """An amount for reading: 150000 → "£1,500", 150050 → "£1,500.50", None → "—"."""
    if pence is None:
        return "—"
    if pence % 100 == 0:
        return f"£{pence // 100:,}"
    return f"£{pence / 100:,.2f}"


# Symbols written before the amount; another currency's code follows it ("1,500 PLN").
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def amount(hundredths: int | None, currency: str = "GBP") -> str:
    """An amount in hundredths of `currency` for reading: "£1,500", "€1,500.50",
    "1,500 PLN" (imported elections keep their own currency)."""
    text = pounds(hundredths)
    if hundredths is None or currency in ("", "GBP"):
        return text
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{text[1:]}" if symbol else f"{text[1:]} {currency}"


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


class PenceAsPoundsField(PoundsField):
    """A form field for a model's `*_pence` column, typed and shown in pounds: the
    stored pence are shown as pounds (5500000 → 55000.00) and what is typed is
    cleaned back to pence, so nobody types an amount in pence."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", True)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "0.01"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return decimal_pounds(value)
        return value

    def clean(self, value):
        return pence(super().clean(value))

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except forms.ValidationError:
            return True


class PenceField(models.BigIntegerField):
    """An amount of money stored in whole pence, typed in pounds in every form that
    edits it (the back office's included): its form field is PenceAsPoundsField."""

    def formfield(self, **kwargs):
        label = str(kwargs.pop("label", None) or self.verbose_name)
        defaults = {
            "form_class": PenceAsPoundsField,
            "label": f"{label[:1].upper()}{label[1:]} (£)",
            "required": not self.blank,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        defaults.pop("min_value", None)
        defaults.pop("max_value", None)
        return form_class(**defaults)
