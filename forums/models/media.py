"""Pictures and documents on ideas and proposals."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forums.models.proposals import Idea, Proposal

ONE_OF_IDEA_OR_PROPOSAL = Q(idea__isnull=False, proposal__isnull=True) | Q(
    idea__isnull=True, proposal__isnull=False
)


class OnIdeaOrProposal(models.Model):
    """Something attached to one idea or one proposal (never both, never neither):
    `idea.pictures`, `proposal.attachments`..."""

    idea = models.ForeignKey(
        Idea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=ONE_OF_IDEA_OR_PROPOSAL,
                name="%(class)s_on_idea_or_proposal",
            )
        ]


class Picture(OnIdeaOrProposal):
    """A photo or drawing of an idea or proposal: a Wagtail image, with the alt text
    that describes it to people who cannot see it."""

    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("description for people who cannot see it"), max_length=250
    )

    class Meta(OnIdeaOrProposal.Meta):
        constraints = [
            *OnIdeaOrProposal.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(alt_text=""), name="picture_has_alt_text"
            ),
        ]

    def __str__(self):
        return self.alt_text


class Attachment(OnIdeaOrProposal):
    """A document (costing, plan, letter of support) on an idea or proposal: a Wagtail
    document."""

    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self):
        return self.document.title
