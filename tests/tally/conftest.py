"""Tally tests use no database: the engine is pure Python."""

import json
import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent
# The shared Pabulib elections: ../shared/pabulib beside the project unless
# NB_PABULIB_DIR says where. With NB_REQUIRE_PABULIB=1 (CI sets it) their absence
# fails the run instead of skipping the comparison.
SHARED = Path(
    os.environ.get("NB_PABULIB_DIR") or HERE.parents[2] / "shared" / "pabulib"
)

# Reference rule names (pabutools 1.2.3) → (our rule, our utility by satisfaction tag).
UTILITY = {
    "cost": "cost",
    "card": "cardinality",
    "cardinal": "points",
    "borda": "borda",
}


def reference_cases(ref: dict):
    """(file, reference key, our rule, our utility, expected selection) for each result."""
    for name, results in sorted(ref.items()):
        if name.startswith("_"):
            continue
        for key, value in sorted(results.items()):
            if key == "_meta" or "selected" not in value or "fastpath" in key:
                continue
            if key.startswith("greedy_"):
                rule, tag = "greedy", key[len("greedy_") :]
            elif key.endswith("_add1+greedy_" + key.rsplit("_", 1)[-1]):
                rule, tag = "mes-completion", key.split("_")[1]
            elif key.endswith("_add1"):
                rule, tag = "mes-add1", key.split("_")[1]
            elif "+greedy" in key:
                rule, tag = "mes+greedy", key.split("_")[1].split("+")[0]
            else:
                rule, tag = "mes", key[len("mes_") :]
            yield (
                name,
                key,
                rule,
                UTILITY[tag],
                value["selected"],
                value.get("seconds", 0),
            )


def shared_available() -> bool:
    return (SHARED / "reference_outcomes.json").exists()


def require_shared() -> None:
    """Skip without the shared elections, or fail when the run requires them."""
    if shared_available():
        return
    message = (
        f"the shared Pabulib elections are not at {SHARED} "
        "(set NB_PABULIB_DIR to their folder)"
    )
    if os.environ.get("NB_REQUIRE_PABULIB") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_reference():
    require_shared()
    return json.loads((SHARED / "reference_outcomes.json").read_text())
