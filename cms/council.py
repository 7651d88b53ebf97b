"""The council's details (Settings → Council details): a model of cms, in its own
module so that the blocks that print them (cms/blocks.py) and the pages that hold the
blocks (cms/models.py) import it without importing each other."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField


@register_setting(icon="site")
class CouncilDetails(BaseSiteSetting):
    """Who runs this site, as the privacy notice and the accessibility statement name
    them (Settings → Council details). The notice and the statement are written once,
    in templates that follow the ICO's and GOV.UK's models (cms/blocks.py); an editor
    places them on a page and fills these in."""

    COMPLIANCE = [
        ("full", _("fully compliant")),
        ("partial", _("partially compliant")),
        ("none", _("not compliant")),
    ]

    council_name = models.CharField(
        _("council"), max_length=200, blank=True, help_text=_("The data controller.")
    )
    address = models.TextField(_("postal address"), blank=True)
    ico_registration = models.CharField(
        _("ICO registration number"), max_length=20, blank=True
    )
    data_protection_email = models.EmailField(
        _("data protection officer's email"), blank=True
    )
    contact_email = models.EmailField(
        _("email for accessibility problems and alternative formats"), blank=True
    )
    contact_phone = models.CharField(_("telephone"), max_length=40, blank=True)
    response_days = models.PositiveSmallIntegerField(
        _("working days to reply"), default=10
    )
    vote_records_years = models.PositiveSmallIntegerField(
        _("years vote records are kept after results"),
        default=6,
        help_text=_(
            "From the council's retention schedule: the register of who voted, the "
            "anonymous ballots and the count."
        ),
    )
    compliance = models.CharField(
        _("compliance with WCAG 2.2 AA"),
        max_length=10,
        choices=COMPLIANCE,
        default="partial",
    )
    known_issues = RichTextField(
        _("known accessibility issues"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("Each problem, the guideline it fails and when it will be fixed."),
    )
    improvements = RichTextField(
        _("what we are doing to improve"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
    )
    statement_prepared = models.DateField(
        _("statement prepared on"), null=True, blank=True
    )
    statement_reviewed = models.DateField(
        _("statement last reviewed on"), null=True, blank=True
    )
    last_tested = models.DateField(_("site last tested on"), null=True, blank=True)
    tested_by = models.CharField(_("tested by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("council details")
