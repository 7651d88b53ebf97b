"""Every CSV the platform writes goes through `writer`: a cell of text that a
spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage
return: OWASP's "CSV injection") is written with a leading apostrophe, so it shows as
text. Numbers are written as they are."""

from __future__ import annotations

import csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A value as a spreadsheet may safely read it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class SafeWriter:
    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        return self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> SafeWriter:
    """csv.writer, with every text cell neutralised (see the module docstring)."""
    return SafeWriter(stream, **options)
