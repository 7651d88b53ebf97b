"""The Community Infrastructure Levy's neighbourhood portion (England), as arithmetic.

A charging authority passes part of the CIL it receives from development in an area to
that area (the Community Infrastructure Levy Regulations 2010, regulation 59A): 25% where
a neighbourhood plan (or neighbourhood development order) is made, uncapped; otherwise
15%, capped in each financial year at £100 for each council-tax dwelling in the area.
Receipts are passed on twice a year, for April to September (by 28 October) and October
to March (by 28 April), so the cap of a year is shared by its two halves. Amounts are
whole pence, rounded down.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

PLAN_PERCENT = 25
CAPPED_PERCENT = 15
CAP_PER_DWELLING_PENCE = 100_00
FIRST_HALF, SECOND_HALF = 1, 2


def financial_year(day: datetime.date) -> int:
    """The year a UK financial year starts (1 April) for the one holding `day`."""
    return day.year if day.month >= 4 else day.year - 1


def half_of(day: datetime.date) -> int:
    """1 for April–September, 2 for October–March."""
    return FIRST_HALF if 4 <= day.month <= 9 else SECOND_HALF


def half_dates(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a half of financial year `year`."""
    if half == FIRST_HALF:
        return datetime.date(year, 4, 1), datetime.date(year, 9, 30)
    return datetime.date(year, 10, 1), datetime.date(year + 1, 3, 31)


@dataclass(frozen=True)
class Receipt:
    """CIL received from development in an area in one half-year."""

    half: int
    receipts_pence: int
    dwellings: int
    neighbourhood_plan: bool


@dataclass(frozen=True)
class Portion:
    percent: int
    before_cap_pence: int
    # The year's cap left for this half (None: uncapped, a neighbourhood plan is made).
    cap_left_pence: int | None
    portion_pence: int

    @property
    def capped(self) -> bool:
        return self.portion_pence < self.before_cap_pence


def portions(receipts: list[Receipt]) -> list[Portion]:
    """Each receipt's neighbourhood portion, for the receipts of one area in one
    financial year (in any order: the first half takes the cap first)."""
    order = sorted(range(len(receipts)), key=lambda i: receipts[i].half)
    found: dict[int, Portion] = {}
    capped_so_far = 0
    for i in order:
        r = receipts[i]
        if r.neighbourhood_plan:
            share = r.receipts_pence * PLAN_PERCENT // 100
            found[i] = Portion(PLAN_PERCENT, share, None, share)
            continue
        share = r.receipts_pence * CAPPED_PERCENT // 100
        left = max(0, r.dwellings * CAP_PER_DWELLING_PENCE - capped_so_far)
        portion = min(share, left)
        capped_so_far += portion
        found[i] = Portion(CAPPED_PERCENT, share, left, portion)
    return [found[i] for i in range(len(receipts))]
