"""Django's makemessages, also extracting `_l(...)`: the project imports gettext_lazy
as `_l` where `_` is already gettext."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
