"""Moving decisions and delivery from civic to the accountability app loses no row:
on a demo-seeded database taken back to before the move (the rows in civic's
tables, their content types civic's), migrating forward finds every row, and every
link between them, in accountability's tables."""

import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = [
    "decision",
    "decisionvote",
    "milestone",
    "fundingattribution",
    "expectedbenefit",
    "decision_proposals",
]
MODELS = [t for t in TABLES if t != "decision_proposals"]


def rows(app: str) -> dict[str, list[tuple]]:
    """Every row of the moved tables, as the database holds them, sorted."""
    out = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {app}_{table}")  # noqa: S608 (fixed names)
            out[table] = sorted(map(tuple, cursor.fetchall()), key=repr)
    return out


def test_moving_decisions_and_delivery_loses_no_row():
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open(os.devnull, "w"))
    seeded = rows("accountability")
    assert {table: len(found) for table, found in seeded.items()} == {
        "decision": 1,
        "decisionvote": 1,
        "milestone": 12,
        "fundingattribution": 7,
        "expectedbenefit": 1,
        "decision_proposals": 6,
    }
    quiet = {"verbosity": 0, "stdout": open(os.devnull, "w")}
    # Back to before the move: the same rows in civic's tables.
    call_command("migrate", "accountability", "zero", **quiet)
    call_command("migrate", "civic", "0009_outbox_sealed", **quiet)
    assert rows("civic") == seeded
    # Their content types as an old site has them: civic's (those the step back
    # created go, and the originals take their place).
    ContentType.objects.filter(app_label="civic", model__in=MODELS).delete()
    ContentType.objects.filter(app_label="accountability").update(app_label="civic")
    ids = dict(ContentType.objects.filter(model__in=MODELS).values_list("model", "pk"))
    # And forward again, as an existing site upgrades.
    call_command("migrate", **quiet)
    assert rows("accountability") == seeded
    moved = ContentType.objects.filter(model__in=MODELS)
    assert sorted(moved.values_list("app_label", "model", "pk")) == sorted(
        ("accountability", model, ids[model]) for model in MODELS
    )
    from accountability.models import Decision

    decision = Decision.objects.get()
    assert decision.proposals.count() == 6 and decision.votes.count() == 1
