"""Django's makemessages, also extracting `_l(...)`: the project imports gettext_lazy
as `_l` where `_` is already gettext.

It also refreshes the catalogue of the libraries' strings that our account pages and
emails show (`locale/accounts/`, second in LOCALE_PATHS, so it overrides the libraries'
own): django-allauth's, which has no Welsh, in Welsh and in sentence-case English ("Sign
in", not allauth's "Sign In"), and the password rules of Django's validators, which
Django's Welsh leaves in English. Entries are taken from each library's English template
catalogue, kept only where a source we use (email and password sign-in, two-factor by
app and recovery codes, the password validators) shows them; translations already made
are kept."""

import re
from pathlib import Path

import allauth
import django
import polib
from django.conf import settings
from django.core.management.commands import makemessages

ACCOUNTS_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "accounts"
# allauth sources whose strings residents and staff never see here: social accounts, its
# identity provider, passkeys and security keys, phone numbers, sign-in codes, sessions.
UNUSED_SOURCE = re.compile(
    r"socialaccount|idp/|webauthn|usersessions|phone|login_code|passkey|admin\.py"
    r"|headless|providers|trust|signup_by|models\.py|_code\.html|request_login|apps\.py"
    r"|layouts/base\.html"
)
UNUSED_TEXT = re.compile(
    r"[Pp]hone|[Uu]sername|passkey|security key|Key nr|[Mm]aster key|[Bb]ackup key"
)


ENGLISH = Path("locale") / "en" / "LC_MESSAGES" / "django.po"


def library_entries():
    for entry in polib.pofile(str(Path(allauth.__file__).parent / ENGLISH)):
        used = any(not UNUSED_SOURCE.search(path) for path, _ in entry.occurrences)
        if used and not UNUSED_TEXT.search(entry.msgid):
            yield entry
    auth = Path(django.__file__).parent / "contrib" / "auth" / ENGLISH
    for entry in polib.pofile(str(auth)):
        if any("password_validation" in path for path, _ in entry.occurrences):
            yield entry


def refresh_accounts_catalogue(languages):
    for language in languages:
        path = ACCOUNTS_CATALOGUE / language / "LC_MESSAGES" / "django.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        old = {e.msgid: e for e in polib.pofile(str(path))} if path.exists() else {}
        po = polib.POFile(wrapwidth=0)
        po.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Language": language,
            "Plural-Forms": (
                "nplurals=2; plural=(n != 1);"
                if language == "en"
                else "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"
            ),
        }
        for entry in library_entries():
            kept = old.get(entry.msgid)
            new = polib.POEntry(
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgctxt=entry.msgctxt,
                occurrences=entry.occurrences,
                flags=[f for f in entry.flags if f != "fuzzy"],
            )
            if kept is not None:
                new.msgstr, new.msgstr_plural = kept.msgstr, kept.msgstr_plural
            elif entry.msgid_plural:
                new.msgstr_plural = dict.fromkeys(
                    range(2 if language == "en" else 4), ""
                )
            po.append(new)
        po.save(str(path))


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]

    def handle(self, *args, **options):
        super().handle(*args, **options)
        if options["domain"] == "django" and options["locale"]:
            refresh_accounts_catalogue(options["locale"])
