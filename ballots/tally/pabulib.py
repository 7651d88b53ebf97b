"""Reading and writing the Pabulib .pb format (pabulib.org).

A file has three sections, each a header line then `;`-separated rows: META (key;value),
PROJECTS (project_id;cost;…) and VOTES (voter_id;vote;…). Vote types: approval and
choose-1 (a list of project ids), cumulative and scoring (ids with `points`), ordinal
(ids most preferred first). Every META key and every extra column is kept, so a file
read and written again says the same thing. Errors name the line.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from .model import APPROVAL, POINTS, RANKED, Ballots, Election, Project, TallyError
from .outcome import money

VOTE_KINDS = {
    "approval": APPROVAL,
    "choose-1": APPROVAL,
    "cumulative": POINTS,
    "scoring": POINTS,
    "ordinal": RANKED,
}


class PabulibError(TallyError):
    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


def parse_amount(text: str, what: str, line: int | None = None) -> Fraction | int:
    """An exact amount: an int when whole (fast arithmetic), else a Fraction."""
    cleaned = text.strip().replace(",", ".")
    try:
        value = Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise PabulibError(f"{what} {text!r} is not a number", line) from None
    if value < 0:
        raise PabulibError(f"{what} {text!r} is negative", line)
    return value.numerator if value.denominator == 1 else value


@dataclass
class PabulibFile:
    meta: dict[str, str]
    project_columns: list[str]
    projects: list[dict[str, str]]
    vote_columns: list[str]
    votes: list[dict[str, str]] = field(default_factory=list)
    ballots: Ballots | None = None

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval")

    @property
    def cents(self) -> int:
        """How many of the file's units make one unit of its currency: 100 where the
        META says the amounts are in the currency's hundredths ("GBP (pence)", the
        platform's files before 2026-12), else 1."""
        return 100 if "(pence)" in self.meta.get("currency", "") else 1

    def ring_fences(self) -> dict[str, Fraction | int]:
        """The META line `ring_fences;category:minimum,…` (the platform writes it):
        ring-fenced minimum spends per category, in the file's units."""
        fences: dict[str, Fraction | int] = {}
        for item in filter(None, self.meta.get("ring_fences", "").split(",")):
            category, _sep, amount = item.partition(":")
            fences[category.strip()] = parse_amount(amount, "ring-fence")
        return fences

    def election(self, ring_fences: dict | None = None) -> Election:
        """The election the file holds, with the ring-fences its META names unless
        others are given."""
        projects = [
            Project(
                id=row["project_id"],
                cost=parse_amount(row["cost"], f"cost of project {row['project_id']}"),
                category=(row.get("category") or row.get("categories") or "")
                .split(",")[0]
                .strip()
                or None,
                name=row.get("name", ""),
            )
            for row in self.projects
        ]
        return Election.build(
            projects,
            parse_amount(self.meta["budget"], "budget"),
            self.ballots,
            ring_fences=self.ring_fences() if ring_fences is None else ring_fences,
            meta=dict(self.meta),
        )


def _rows(text: str):
    """csv rows with their 1-based line numbers (fields never span lines in .pb)."""
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=";")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise PabulibError(f"unreadable row ({error})", reader.line_num) from None
        yield reader.line_num, row


def parse(text: str, *, keep_votes: bool = False, progress=None) -> PabulibFile:
    """Parse a .pb file's text. `keep_votes` keeps each vote row (for re-writing)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    section = None
    header: list[str] = []
    meta: dict[str, str] = {}
    project_columns: list[str] = []
    projects: list[dict[str, str]] = []
    project_ids: set[str] = set()
    vote_columns: list[str] = []
    votes: list[dict[str, str]] = []
    counts: Counter = Counter()
    kind = None
    seen_sections: set[str] = set()
    expect_header = False
    vote_idx = points_idx = None
    voter_ids: set[str] = set()
    for line, row in _rows(text):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        first = row[0].strip().lower()
        if (
            first in ("meta", "projects", "votes")
            and len(row) == 1
            or (
                first in ("meta", "projects", "votes")
                and all(not c.strip() for c in row[1:])
            )
        ):
            if first in seen_sections:
                raise PabulibError(f"section {first.upper()} appears twice", line)
            if first != "meta" and "meta" not in seen_sections:
                raise PabulibError("the file must start with a META section", line)
            if first == "votes" and "budget" not in meta:
                raise PabulibError("META has no 'budget'", line)
            if first == "votes" and not projects:
                raise PabulibError("VOTES before any PROJECTS", line)
            section = first
            seen_sections.add(section)
            expect_header = True
            continue
        if section is None:
            raise PabulibError("the file must start with a META section", line)
        cells = [c.strip() for c in row]
        if expect_header:
            header = cells
            expect_header = False
            if section == "meta":
                if header[:2] != ["key", "value"]:
                    raise PabulibError("META header must be 'key;value'", line)
            elif section == "projects":
                if "project_id" not in header or "cost" not in header:
                    raise PabulibError(
                        "PROJECTS header needs 'project_id' and 'cost'", line
                    )
                project_columns = header
            else:
                if "voter_id" not in header or "vote" not in header:
                    raise PabulibError("VOTES header needs 'voter_id' and 'vote'", line)
                vote_columns = header
                vote_type = meta.get("vote_type", "approval").lower()
                if vote_type not in VOTE_KINDS:
                    raise PabulibError(f"unsupported vote_type {vote_type!r}", line)
                kind = VOTE_KINDS[vote_type]
                vote_idx = header.index("vote")
                points_idx = header.index("points") if "points" in header else None
                if kind == POINTS and points_idx is None:
                    raise PabulibError(
                        f"{vote_type} votes need a 'points' column", line
                    )
            continue
        if section == "meta":
            if len(cells) < 2:
                raise PabulibError("META rows need a key and a value", line)
            meta[cells[0]] = cells[1]
        elif section == "projects":
            if len(cells) != len(header):
                raise PabulibError(
                    f"expected {len(header)} fields in PROJECTS, found {len(cells)}",
                    line,
                )
            rec = dict(zip(header, cells, strict=True))
            pid = rec["project_id"]
            if not pid:
                raise PabulibError("a project has no id", line)
            if pid in project_ids:
                raise PabulibError(f"project {pid!r} is listed twice", line)
            parse_amount(rec["cost"], f"cost of project {pid}", line)
            project_ids.add(pid)
            projects.append(rec)
        else:
            if len(cells) != len(header):
                raise PabulibError(
                    f"expected {len(header)} fields in VOTES, found {len(cells)}", line
                )
            voter = cells[0]
            if voter in voter_ids:
                raise PabulibError(f"voter {voter!r} voted twice", line)
            voter_ids.add(voter)
            chosen = [p.strip() for p in cells[vote_idx].split(",") if p.strip()]
            for pid in chosen:
                if pid not in project_ids:
                    raise PabulibError(f"vote names unknown project {pid!r}", line)
            if len(set(chosen)) != len(chosen):
                raise PabulibError("a vote names the same project twice", line)
            if kind == APPROVAL:
                ballot = frozenset(chosen)
            elif kind == RANKED:
                ballot = tuple(chosen)
            else:
                pts = [p.strip() for p in cells[points_idx].split(",") if p.strip()]
                if len(pts) != len(chosen):
                    raise PabulibError(
                        f"{len(chosen)} projects but {len(pts)} points in this vote",
                        line,
                    )
                try:
                    values = [
                        int(v) if v.lstrip("-").isdigit() else Fraction(v) for v in pts
                    ]
                except ValueError:
                    raise PabulibError("points must be numbers", line) from None
                if any(v < 0 for v in values):
                    raise PabulibError("points cannot be negative", line)
                ballot = tuple(
                    sorted((p, v) for p, v in zip(chosen, values, strict=True) if v)
                )
            counts[ballot] += 1
            if keep_votes:
                votes.append(dict(zip(header, cells, strict=True)))
            if progress is not None and len(voter_ids) % 5000 == 0:
                progress(len(voter_ids))
    for required in ("meta", "projects", "votes"):
        if required not in seen_sections:
            raise PabulibError(f"the file has no {required.upper()} section")
    if "budget" not in meta:
        raise PabulibError("META has no 'budget'")
    parse_amount(meta["budget"], "budget")
    return PabulibFile(
        meta, project_columns, projects, vote_columns, votes, Ballots(kind, counts)
    )


def read(path, **kwargs) -> PabulibFile:
    with open(path, encoding="utf-8-sig") as fh:
        return parse(fh.read(), **kwargs)


def write(pb: PabulibFile) -> str:
    """The file as .pb text: META, PROJECTS, VOTES, every key and column kept."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in pb.meta.items():
        writer.writerow([key, value])
    writer.writerow(["PROJECTS"])
    writer.writerow(pb.project_columns)
    for rec in pb.projects:
        writer.writerow([rec.get(c, "") for c in pb.project_columns])
    writer.writerow(["VOTES"])
    writer.writerow(pb.vote_columns)
    for rec in pb.votes:
        writer.writerow([rec.get(c, "") for c in pb.vote_columns])
    return out.getvalue()


def from_election(
    election: Election,
    *,
    meta: dict[str, str],
    project_extra: dict[str, dict[str, str]] | None = None,
    voter_ids=None,
) -> PabulibFile:
    """A .pb file for an election's ballots: one row per voter, ids random or given."""
    kind = election.ballots.kind
    vote_type = {APPROVAL: "approval", POINTS: "cumulative", RANKED: "ordinal"}[kind]
    meta = {"vote_type": vote_type, "budget": money(election.budget), **meta}
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(election.ballots.voters)
    extra_cols: list[str] = []
    for extra in (project_extra or {}).values():
        for key in extra:
            if key not in extra_cols:
                extra_cols.append(key)
    project_columns = ["project_id", "cost", *extra_cols]
    projects = []
    for pid in sorted(election.projects):
        rec = {"project_id": pid, "cost": money(election.projects[pid].cost)}
        rec.update((project_extra or {}).get(pid, {}))
        projects.append(rec)
    vote_columns = ["voter_id", "vote"] + (["points"] if kind == POINTS else [])
    votes = []
    ids = iter(voter_ids) if voter_ids is not None else None
    n = 0
    # Ballots in a canonical order, by what they say (never by when they were cast):
    # the same ballots give the same file, byte for byte, in every process (a
    # frozenset's own order depends on the process's string hashing).
    for ballot, count in sorted(
        election.ballots.counts.items(),
        key=lambda kv: tuple(sorted(kv[0])) if kind == APPROVAL else kv[0],
    ):
        for _ in range(count):
            n += 1
            voter = next(ids) if ids is not None else str(n)
            if kind == APPROVAL:
                rec = {"voter_id": voter, "vote": ",".join(sorted(ballot))}
            elif kind == RANKED:
                rec = {"voter_id": voter, "vote": ",".join(ballot)}
            else:
                rec = {
                    "voter_id": voter,
                    "vote": ",".join(p for p, _ in ballot),
                    "points": ",".join(str(v) for _, v in ballot),
                }
            votes.append(rec)
    return PabulibFile(
        meta, project_columns, projects, vote_columns, votes, election.ballots
    )
