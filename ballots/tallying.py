"""The app's bridge to the pure tally engine: ballots in, stored results out."""

from __future__ import annotations

import hashlib
from collections import Counter
from fractions import Fraction

from django.db.models import F, Func, JSONField

from .models import Ballot, Section
from .tally import Ballots, Election, Project, run
from .tally import pabulib as pb
from .tally.outcome import money

# Framework-rule ballot methods → engine ballot kind; tally rule → engine rule.
KIND = {
    "approval": "approval",
    "knapsack": "approval",
    "points": "points",
    "ranked": "ranked",
}
RULE = {"greedy": "greedy", "equal_shares": "mes-completion"}
# Equal shares is completed by raising each voter's share £1 (100 pence) at a time.
MES_INCREMENT_PENCE = 100


def utility_for(method: str, rule: str) -> str:
    """Documented on the results page: how each ballot becomes utilities."""
    if method == "points":
        return "points-cost" if rule == "greedy" else "points"
    if method == "ranked":
        return "rank-points"
    return "cost"


def grouped(choices, method: str) -> Ballots:
    """Ballots from (a section's choice, how many ballots hold it) pairs."""
    kind = KIND[method]
    counts: Counter = Counter()
    for value, n in choices:
        if value in (None, [], {}):
            continue
        if kind == "approval":
            counts[frozenset(value)] += n
        elif kind == "ranked":
            counts[tuple(value)] += n
        else:
            counts[tuple(sorted((p, int(v)) for p, v in value.items() if v))] += n
    return Ballots(kind, counts)


class ChoiceFor(Func):
    """A ballot's choice for one section: the value under `key` in its `choices`. The
    keys are section ids, numbers in text, which Django's key lookups would read as
    array positions, so the path is written here."""

    output_field = JSONField()

    def __init__(self, key: str):
        super().__init__(F("choices"))
        self.key = key

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} -> %s)", [*params, self.key]

    def as_sql(self, compiler, connection, **extra):  # SQLite, the embedded default
        sql, params = compiler.compile(self.source_expressions[0])
        return f"json_extract({sql}, %s)", [*params, f'$."{self.key}"']


def section_ballots(section: Section, method: str) -> Ballots:
    """A section's ballots, read from the box itself (every ballot that has a choice
    for it; the database hands over only that choice, not the whole ballot)."""
    key = str(section.pk)
    return grouped(
        (
            (choice, 1)
            for choice in Ballot.objects.filter(cycle_id=section.cycle_id)
            .annotate(choice=ChoiceFor(key))
            .filter(choice__isnull=False)
            .values_list("choice", flat=True)
            .iterator(chunk_size=5000)
        ),
        method,
    )


def ring_fences_for(section: Section, rules: dict) -> dict[str, int]:
    """Rules' ring-fences, raised to any ring-fenced contributions of the budget."""
    fences = {slug: int(v) for slug, v in rules["ring_fences"].items()}
    if section.budget_id:
        for c in section.budget.contributions.all():
            if c.ring_fence_category_id and c.ring_fenced_pence:
                slug = c.ring_fence_category.slug
                fences[slug] = max(fences.get(slug, 0), c.ring_fenced_pence)
    return fences


def election_for(
    section: Section, rules: dict, ballots: Ballots | None = None, *, unit: int = 1
) -> Election:
    """The section's election, its amounts in pence, or in units of `unit` pence
    (100: pounds, as the published files have them)."""
    method = rules["ballot_method"]
    projects = [
        Project(p.code, Fraction(p.cost_pence, unit), p.category_slug or None, p.title)
        for p in section.projects.all()
    ]
    return Election.build(
        projects,
        Fraction(section.budget_pence, unit),
        ballots if ballots is not None else section_ballots(section, method),
        ring_fences={
            slug: Fraction(v, unit)
            for slug, v in ring_fences_for(section, rules).items()
        },
    )


def count(section: Section, rules: dict, ballots: Ballots | None = None):
    method = rules["ballot_method"]
    rule = RULE[rules["tally_rule"]]
    election = election_for(section, rules, ballots)
    return run(
        election,
        rule,
        utility_for(method, rules["tally_rule"]),
        increment=MES_INCREMENT_PENCE,
        max_rank=rules["max_ranked"],
    )


def pabulib_export(section: Section, rules: dict) -> str:
    """The section's anonymised ballots as a .pb file (random-order ids 1..n). Amounts
    are in pounds (pence as decimals where a cost has them), so pabutools and the
    tally CLI read them without scaling and equal shares' completion raises each
    voter's share £1 at a time, as the count here does (MES_INCREMENT_PENCE); the
    `ring_fences` META line is in pounds too."""
    election = election_for(section, rules, unit=100)
    cycle = section.cycle
    meta = {
        "description": f"{cycle.name}: {section.place.name}",
        "country": "United Kingdom",
        "unit": section.place.name,
        "instance": cycle.slug,
        "currency": "GBP",
        "rule": rules["tally_rule"],
        "ballot_method": rules["ballot_method"],
    }
    if rules["max_choices"] and rules["ballot_method"] in ("approval", "knapsack"):
        meta["max_length"] = str(rules["max_choices"])
    if rules["min_choices"]:
        meta["min_length"] = str(rules["min_choices"])
    if rules["ballot_method"] == "points":
        meta["max_sum_points"] = str(rules["points_per_voter"])
    if rules["ballot_method"] == "ranked" and rules["max_ranked"]:
        meta["max_length"] = str(rules["max_ranked"])
    if election.ring_fences:
        meta["ring_fences"] = ",".join(
            f"{k}:{money(v)}" for k, v in sorted(election.ring_fences.items())
        )
    extra = {
        p.code: {"name": p.title.replace(";", ","), "category": p.category_slug}
        for p in section.projects.all()
    }
    return pb.write(pb.from_election(election, meta=meta, project_extra=extra))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def recount_from_pabulib(
    text: str, *, tally_rule: str, ballot_method: str, max_ranked: int | None = None
):
    """Recompute a result from a published .pb export alone, with the ring-fences its
    META names. Returns the outcome (in the file's units) and pence per unit."""
    parsed = pb.parse(text)
    per_unit = 100 // parsed.cents  # pence in one of the file's units
    outcome = run(
        parsed.election(),
        RULE[tally_rule],
        utility_for(ballot_method, tally_rule),
        increment=Fraction(MES_INCREMENT_PENCE, per_unit),
        max_rank=max_ranked,
    )
    return outcome, per_unit


def cli_command(rules: dict, file: str = "FILE.pb") -> str:
    """The command that recounts a published file as this cycle's rules count it
    (ballots/tally's CLI reads the file's ring-fences and amounts as they are)."""
    rule = RULE[rules["tally_rule"]]
    utility = utility_for(rules["ballot_method"], rules["tally_rule"])
    command = f"python -m ballots.tally {file} --rule {rule} --utility {utility}"
    if rules["ballot_method"] == "ranked" and rules["max_ranked"]:
        command += f" --max-rank {rules['max_ranked']}"
    return command


def recount_summary(text: str, tally, rules: dict) -> dict:
    """Recount a .pb file under the cycle's rules: what it selects and spends, and
    whether it is the file published with `tally` (same SHA-256)."""
    outcome, per_unit = recount_from_pabulib(
        text,
        tally_rule=rules["tally_rule"],
        ballot_method=rules["ballot_method"],
        max_ranked=rules["max_ranked"],
    )
    return {
        "selected": sorted(outcome.selected),
        "spent": int(outcome.spent * per_unit),
        "sha_ok": sha256(text) == tally.export_sha256,
    }


def recount_key(tally, rules: dict) -> str:
    """What a stored recount was made from: the published file and the counting rules."""
    return "{}:{}:{}:{}".format(
        tally.export_sha256,
        rules["tally_rule"],
        rules["ballot_method"],
        rules["max_ranked"],
    )
