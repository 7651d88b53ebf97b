"""Forms for the Wagtail back office."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .admin_permissions import ScopedForm
from .models import Place
from .services import role_check


class PlaceAdminForm(WagtailAdminModelForm):
    """Places live in a tree: a new place is added under its parent (treebeard)."""

    parent = forms.ModelChoiceField(
        queryset=Place.objects.all(),
        required=False,
        label=_("Inside"),
        help_text=_("The wider area this place belongs to. Empty for a county."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Moving a place would silently change whose rules and roles apply to it.
            self.fields.pop("parent")

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit=commit)
        parent = self.cleaned_data.get("parent")
        data = {
            f: self.cleaned_data[f]
            for f in ("name", "slug", "kind", "summary", "postcode_areas")
            if f in self.cleaned_data
        }
        self.instance = parent.add_child(**data) if parent else Place.add_root(**data)
        return self.instance


class RoleAdminForm(ScopedForm):
    """A role given or changed in the admin obeys the same rules as everywhere else."""

    def clean(self):
        cleaned = super().clean()
        if "kind" in cleaned:
            try:
                role_check(
                    kind=cleaned["kind"],
                    verification_method=cleaned.get("verification_method") or "",
                )
            except ValidationError as error:
                self.add_error("verification_method", error)
        return cleaned
