"""factory_boy factories for the civic domain, forums and ballots."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accountability.models import Decision
from ballots.models import Cycle, Phase, Section
from civic.models import (
    Budget,
    Category,
    Contribution,
    Place,
    PlaceKind,
    PublicBody,
    Role,
    RoleKind,
    User,
)
from forums.models import Forum, Proposal, ProposalStatus


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    year_of_birth = 1990
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()  # keep the password set above
            EmailAddress.objects.create(
                user=obj, email=obj.email, verified=extracted is not False, primary=True
            )


def make_place(name, kind=PlaceKind.NEIGHBOURHOOD, parent=None, **fields):
    slug = fields.pop("slug", name.lower().replace(" ", "-"))
    if parent is None:
        return Place.add_root(name=name, slug=slug, kind=kind, **fields)
    return parent.add_child(name=name, slug=slug, kind=kind, **fields)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicBody
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Body {n}")
    slug = factory.Sequence(lambda n: f"body-{n}")
    kind = "council"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    name = "Budget"
    period_start = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))
    period_end = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=300))


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    body = factory.SubFactory(BodyFactory)
    amount_pence = 1000_00


def grant(user, place, kind=RoleKind.RESIDENT):
    return Role.objects.create(
        user=user,
        place=place,
        kind=kind,
        verification_method="postcode" if kind == RoleKind.RESIDENT else "",
    )


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    name = factory.LazyAttribute(lambda o: f"{o.place.name} forum")
    slug = factory.LazyAttribute(lambda o: o.place.slug)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A published proposal; pass status=ProposalStatus.SHORTLISTED for a ballot."""

    class Meta:
        model = Proposal

    title = factory.Sequence(lambda n: f"Proposal {n}")
    summary = "s"
    description = "d"
    category = factory.SubFactory(CategoryFactory)
    cost_pence = 1000_00
    status = ProposalStatus.PUBLISHED


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    name = factory.LazyAttribute(lambda o: f"{o.place.name} 2026")
    slug = factory.LazyAttribute(lambda o: f"{o.place.slug}-2026")
    phase = Phase.SHORTLIST
    # Voting may open (by hand, early) only with both dates set: see ballots/lifecycle.
    voting_start = factory.LazyFunction(
        lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    )
    counting_start = factory.LazyFunction(
        lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=60)
    )


class SectionFactory(factory.django.DjangoModelFactory):
    """One budget on a cycle's ballot, for the cycle's place unless told otherwise."""

    class Meta:
        model = Section

    place = factory.LazyAttribute(lambda o: o.cycle.place)
    budget_pence = 60000_00


class DecisionFactory(factory.django.DjangoModelFactory):
    """A published decision notice; pass published_at=None for a draft."""

    class Meta:
        model = Decision

    kind = "other"
    title = "An earlier decision"
    text = "t"
    reasons = "r"
    decided_on = dt.date(2026, 1, 1)
    published_at = factory.LazyFunction(timezone.now)
    reference = factory.Sequence(lambda n: f"D-{n + 1}")
