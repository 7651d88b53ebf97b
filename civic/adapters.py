"""django-allauth customisation: one adapter, as allauth recommends."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request, user):
        """Sign in, and remember the language the person was reading the site in
        (chosen before signing in, or by a /cy/ address) when they have none yet: their
        emails and personal-data download say it."""
        super().login(request, user)
        language = translation.get_language() or ""
        if not user.language and language in dict(settings.LANGUAGES):
            user.language = language
            user.save(update_fields=["language"])
