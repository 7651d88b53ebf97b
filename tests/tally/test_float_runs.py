"""The compiled float64 MES run (ballots/tally/fast.py): it funds exactly what the
exact run funds, or says it is unsure and leaves the budget to exact arithmetic."""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ballots.tally import Ballots, Election, Project, fast, pabulib
from ballots.tally.completion import equal_shares_add1
from ballots.tally.mes import Q, _run
from ballots.tally.profile import build_profile
from ballots.tally.support import _Support

from .conftest import HERE
from .test_completions import CASES, every_increment, wide

pytestmark = pytest.mark.skipif(not fast.available(), reason="numba is not installed")


def _both(election, utility, per_voter):
    profile = build_profile(election, utility)
    support = _Support(election.projects, profile)
    floats = fast.FloatSupport(support)
    assert floats.usable
    return floats.run(per_voter), _run(support, Q(per_voter))[0]


@pytest.mark.parametrize("kind,utility", CASES)
def test_a_float_run_is_the_exact_run_or_unsure(kind, utility):
    @settings(
        max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(wide(kind), st.integers(0, 400))
    def check(data, steps):
        election, increment = data
        per_voter = Fraction(election.budget) / election.ballots.voters
        floats, exact = _both(election, utility, per_voter + steps * increment)
        assert floats is None or floats == exact

    check()


def test_exact_ties_are_decided_in_floats():
    """At 80/3 each, A, B and C all cost ½ per unit of utility (nobody is capped):
    a tie, decided by id (A), without falling back."""
    election = Election.build(
        [Project("A", 45), Project("B", 20), Project("C", 35)],
        80,
        Ballots.approval([["A", "B", "C"], ["A", "B"], ["C"]]),
    )
    floats, exact = _both(election, "cost", Fraction(80, 3))
    assert floats == exact == ["A"]


def test_a_tie_it_cannot_prove_is_left_to_exact_arithmetic():
    """Six voters hold 100 each. X (360) is shared by four of them at ¼ per unit, so
    P keeps 10. Y and Z (150 each, supported by P, R1 and R2) then tie exactly at
    (150 − 10) / 300 = 7/15 with P paying in full from money that is not zero, a price
    floats cannot prove equal: the float run is unsure; the exact run funds Y (the
    lower id), after which Z is out of reach (R1 and R2 hold 30 each)."""
    election = Election.build(
        [Project("X", 360), Project("Y", 150), Project("Z", 150)],
        600,
        Ballots.approval(
            [["X", "Y", "Z"], ["X"], ["X"], ["X"], ["Y", "Z"], ["Y", "Z"]]
        ),
    )
    floats, exact = _both(election, "cost", 100)
    assert floats is None
    assert exact == ["X", "Y"]
    profile = build_profile(election, "cost")
    funded, _ = equal_shares_add1(election.projects, election.budget, profile)
    assert sorted(funded) == every_increment(election, "cost", "exhaustive", 1)


def test_every_increment_of_a_real_file_is_decided_in_floats():
    """Assen 2024: each of its first 80 increments is decided without falling back,
    and funds what the exact run funds."""
    election = pabulib.read(HERE / "data" / "Netherlands_Assen_2024.pb").election()
    start = Fraction(election.budget) / election.ballots.voters
    for step in range(80):
        floats, exact = _both(election, "cost", start + step)
        assert floats == exact


def test_amounts_that_floats_cannot_hold_are_counted_exactly():
    """A cost in thirds of a pound has no exact float: that election is not laid out
    for the float runs at all."""
    election = Election.build(
        [Project("A", Fraction(100, 3)), Project("B", 20)],
        60,
        Ballots.approval([["A"], ["A", "B"]]),
    )
    support = _Support(election.projects, build_profile(election, "cost"))
    assert fast.FloatSupport(support).usable is False


@given(
    st.integers(0, 2**53 - 1),
    st.integers(1, 2**53 - 1),
    st.integers(0, 2**53 - 1),
    st.integers(1, 2**53 - 1),
)
@example(1, 29, 3, 87)  # equal: 1/29 twice
@example(2**52 + 1, 3, 2**52 + 1, 3)
@example(2**53 - 1, 2**53 - 2, 2**53 - 2, 2**53 - 3)  # differ in the 106th bit
@settings(max_examples=500, deadline=None)
def test_prices_known_exactly_are_compared_exactly(a, b, c, d):
    expected = (Fraction(a, b) > Fraction(c, d)) - (Fraction(a, b) < Fraction(c, d))
    fast.compiled()  # the kernel's own, compiled comparison
    assert fast._compare(float(a), float(b), float(c), float(d)) == expected


def test_threads_asking_for_the_kernel_at_once_all_get_it():
    """A request and the live-results timer may need the kernel at the same moment in a
    new process (seen in `make run`: "A jit decorator was called on an already jitted
    function"): it is compiled once, and every thread gets it."""
    import subprocess
    import sys
    from pathlib import Path

    if not fast.available():
        pytest.skip("numba is not installed")
    script = (
        "import threading\n"
        "from ballots.tally import fast\n"
        "start, got, errors = threading.Barrier(4), [], []\n"
        "def ask():\n"
        "    start.wait()\n"
        "    try:\n"
        "        got.append(fast.compiled())\n"
        "    except Exception as error:\n"
        "        errors.append(repr(error))\n"
        "threads = [threading.Thread(target=ask) for _ in range(4)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "assert errors == [], errors\n"
        "assert len(got) == 4 and len({id(k) for k in got}) == 1\n"
        "print('one kernel for 4 threads')\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "one kernel for 4 threads"
