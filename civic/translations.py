"""Words Django's own catalogues get wrong in Welsh, said again in this project's
catalogue (locale/), which Django reads before its own."""

from django.utils.translation import gettext_noop

# timesince ("6 hours, 20 minutes") joins its parts with this; Django's Welsh catalogue
# has "," with no space ("6 awr,20 munud").
TIMESINCE_SEPARATOR = gettext_noop(", ")
