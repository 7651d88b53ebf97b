"""What casting knows about a voter is kept between requests (ballots/voters.py), and a
change to their roles or email addresses counts from the next request."""

from unittest.mock import patch

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from ballots import voters
from ballots.services import eligibility_problems, voter_home
from civic.cache import ResilientRedisCache
from civic.models import Role, RoleKind
from civic.services import role_revoke
from tests.factories import UserFactory, grant


def fresh(user):
    """The same voter as a new request loads them (no memo of an earlier request)."""
    return get_user_model().objects.get(pk=user.pk)


def test_a_second_request_reads_nothing_from_the_database(
    vote_world, django_assert_num_queries
):
    w = vote_world
    w["open"]()
    voter = w["voters"][0]
    assert voter_home(fresh(voter), w["cycle"]) == w["hood"]
    again = fresh(voter)
    with django_assert_num_queries(0):
        assert eligibility_problems(again, w["cycle"]) == []
        assert voter_home(again, w["cycle"]) == w["hood"]


def test_a_role_granted_counts_from_the_next_request(vote_world):
    w = vote_world
    w["open"]()
    newcomer = UserFactory()
    assert voter_home(fresh(newcomer), w["cycle"]) is None  # and kept
    grant(newcomer, w["hood"])
    assert voter_home(fresh(newcomer), w["cycle"]) == w["hood"]


def test_a_role_revoked_counts_from_the_next_request(vote_world):
    w = vote_world
    w["open"]()
    voter = w["voters"][0]
    assert eligibility_problems(fresh(voter), w["cycle"]) == []
    role = Role.objects.get(user=voter, kind=RoleKind.RESIDENT)
    role_revoke(actor=w["officer"], role=role)
    problems = eligibility_problems(fresh(voter), w["cycle"])
    assert len(problems) == 1 and "Only verified residents" in problems[0]


def test_an_email_unverified_counts_from_the_next_request(vote_world):
    w = vote_world
    w["open"]()
    voter = w["voters"][0]
    assert eligibility_problems(fresh(voter), w["cycle"]) == []
    address = EmailAddress.objects.get(user=voter)
    address.verified = False
    address.save()
    assert eligibility_problems(fresh(voter), w["cycle"]) == [
        "Confirm your email address first."
    ]


def test_with_the_cache_away_the_database_answers(vote_world):
    """The production cache with nothing listening at its address: every read
    misses, every write is dropped (civic/cache.py), and the database answers."""
    w = vote_world
    w["open"]()
    voter = w["voters"][0]
    away = ResilientRedisCache("redis://127.0.0.1:1/0", {})
    with patch.object(voters, "cache", away):
        assert voter_home(fresh(voter), w["cycle"]) == w["hood"]
        assert eligibility_problems(fresh(voter), w["cycle"]) == []
