"""A forum per place, and who follows it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.models import Place


class InForum:
    """For records that belong to a forum: their place is the forum's (roles apply there)."""

    @property
    def place(self):
        return self.forum.place


class Forum(models.Model):
    """The public meeting place of a neighbourhood's budget: its proposals and debate."""

    place = models.OneToOneField(Place, on_delete=models.PROTECT, related_name="forum")
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    intro = models.TextField(_("introduction"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:forum", kwargs={"slug": self.slug})


class Follow(models.Model):
    """Someone who wants emails about a forum's phase changes and decisions."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"], name="one_follow_per_forum"
            )
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.forum_id}"
