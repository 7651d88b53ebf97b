"""People: the user model and UK postcodes."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def normalise_postcode(value: str) -> str:
    """Upper-case a UK postcode and put the single space before the inward code."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def postcode_in_area(postcode: str, prefix: str) -> bool:
    """True when a normalised postcode lies in a prefix such as 'NB1' or 'NB1 2'.

    The outward code must match whole ('NB1' does not contain 'NB14 1AA'); the inward
    part of the prefix, if any, must start the postcode's inward code.
    """
    outward, _, inward = postcode.partition(" ")
    p_out, _, p_in = prefix.partition(" ")
    return outward == p_out and inward.startswith(p_in)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: a resident, an organiser, a councillor or an officer."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_(
            "Shown next to what you write. Leave empty to appear as 'Resident'."
        ),
    )
    postcode = models.CharField(
        _("postcode"),
        max_length=10,
        blank=True,
        help_text=_(
            "Used only to find your neighbourhood and check you may vote there."
        ),
    )
    year_of_birth = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        help_text=_("Used only to check age limits set by your council. Never shown."),
    )
    notify_replies = models.BooleanField(
        _("email me replies to my comments"), default=True
    )
    notify_proposal_comments = models.BooleanField(
        _("email me comments on my ideas and proposals"), default=True
    )
    notify_forum_updates = models.BooleanField(
        _("email me phase changes and decisions in forums I follow"), default=True
    )
    notify_receipt = models.BooleanField(
        _("email me my receipt code after I vote"),
        default=False,
        help_text=_(
            "Handy, but anyone who can read your email could then check how you voted. "
            "Off by default."
        ),
    )
    # Text messages through GOV.UK Notify (civic/gov_notify.py): a mobile number the
    # person proved is theirs with a code sent to it, and what they want by text.
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    mobile_verified = models.BooleanField(default=False, editable=False)
    text_receipt = models.BooleanField(
        _("text me my receipt code after I vote"),
        default=False,
        help_text=_(
            "Anyone who can read your texts could then check how you voted. Off by "
            "default."
        ),
    )
    text_reminders = models.BooleanField(
        _("text me when voting opens in forums I follow"),
        default=False,
        help_text=_("A text the day before voting opens."),
    )
    language = models.CharField(
        _("language for emails"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Set when you choose a language on the site."),
    )
    is_demo = models.BooleanField(
        default=False,
        editable=False,
        help_text="Created by seed_demo; exempt from the MFA requirement while DEBUG is on.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.public_name

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        return self.display_name or str(_("Resident"))

    def age_on(self, day) -> int | None:
        """Age in whole years at the end of the year of `day` (we store only the year)."""
        if not self.year_of_birth:
            return None
        return day.year - self.year_of_birth
