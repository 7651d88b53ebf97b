"""The open-data downloads as built (opendata/files.py): one row a file, with what the
open-data page lists (format, size, when it was built)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Where the files are kept in the default storage.
ROOT = "open-data"


class Download(models.Model):
    # The area a file covers: "" for everywhere, else a place's slug; or a cycle's.
    place = models.SlugField(max_length=80, blank=True)
    cycle = models.SlugField(max_length=80, blank=True)
    dataset = models.CharField(max_length=40)
    fmt = models.CharField(_("format"), max_length=10)
    path = models.CharField(max_length=255, unique=True)
    size = models.PositiveBigIntegerField()
    rows = models.PositiveIntegerField()
    built_at = models.DateTimeField()

    class Meta:
        ordering = ["place", "cycle", "dataset", "fmt"]
        indexes = [models.Index(fields=["place", "cycle"])]

    def __str__(self):
        return self.path

    def get_absolute_url(self):
        return reverse("opendata:download", args=[self.path.removeprefix(ROOT + "/")])
