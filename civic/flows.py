"""Staff actions as flows, one code path each, whichever front end asks.

An action is one class: the permission it needs, the form it shows, the one service it
calls and what it says when done. The site's own page and the back office (Wagtail
admin) both build the form with `action.get_form(...)` and submit it with
`run(action, request, obj)`, as allauth's flows serve its two front ends. A front end
only chooses its template and where to go next.

A refusal (`DomainError` from the domain, or a `ValidationError`) comes back as errors
on the form and nothing is stored; the success message is the same on both pages.
Each app keeps its actions in its own `flows.py`; this module holds what they share and
the civic ones (a place's framework rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civic import services
from civic.access import require
from civic.errors import DomainError
from civic.forms import BoundaryForm, FrameworkRulesForm
from civic.models import FrameworkRules, Place


def refusal_messages(error: DomainError | ValidationError) -> list[str]:
    """What a refusal says, one message per broken rule."""
    if isinstance(error, ValidationError):
        return error.messages
    return list(getattr(error, "errors", None) or [error.message])


class StaffAction:
    """One staff action. Subclasses set `perm` and `form_class` (or `get_form`),
    write `perform` (the one service call) and `done_message`."""

    perm = ""
    form_class: type[forms.Form] = forms.Form

    def permission_object(self, obj):
        """What `perm` is asked of (the record itself unless overridden)."""
        return obj

    def require(self, request, obj) -> None:
        """Refuse (403, or sign-in) unless the user may take this action on `obj`."""
        require(request, self.perm, self.permission_object(obj))

    def get_form(self, obj, data=None, files=None, **kwargs) -> forms.Form:
        return self.form_class(data, files, **kwargs)

    def perform(self, actor, obj, form):
        raise NotImplementedError

    def done_message(self, obj, result, form) -> str:
        raise NotImplementedError

    def refused(self, form: forms.Form, error: DomainError | ValidationError) -> None:
        for message in refusal_messages(error):
            form.add_error(None, message)


@dataclass
class Outcome:
    form: forms.Form
    done: bool = False
    result: object = None

    def error_messages(self) -> list[str]:
        """Every error on the form, the form-wide ones first, for a page that shows
        them as messages rather than beside the fields."""
        errors = list(self.form.non_field_errors())
        for name, field_errors in self.form.errors.items():
            if name != forms.forms.NON_FIELD_ERRORS:
                errors.extend(field_errors)
        return errors


def run(action: StaffAction, request, obj, **form_kwargs) -> Outcome:
    """Submit `action` on `obj` from the request's POST: validate the form, call the
    service, and say it is done. The caller has already asked `action.require`."""
    form = action.get_form(obj, request.POST, request.FILES or None, **form_kwargs)
    if form.is_valid():
        try:
            result = action.perform(request.user, obj, form)
        except (DomainError, ValidationError) as error:
            action.refused(form, error)
        else:
            messages.success(request, action.done_message(obj, result, form))
            return Outcome(form, True, result)
    return Outcome(form)


def tell_errors(request, outcome: Outcome) -> None:
    """For pages with no form to show again: each error as a message."""
    for message in outcome.error_messages():
        messages.error(request, message)


class RulesUpdate(StaffAction):
    """An officer sets a place's framework rules (what it varies, what it locks)."""

    perm = "civic.change_rules"

    def get_form(self, place: Place, data=None, files=None, **kwargs):
        return FrameworkRulesForm(
            data, instance=FrameworkRules.objects.filter(place=place).first(), **kwargs
        )

    def perform(self, actor, place, form):
        return services.rules_update(
            actor=actor,
            place=place,
            values=form.to_values(),
            locked_fields=form.cleaned_data["locked_fields"],
        )

    def refused(self, form, error):
        if isinstance(error, ValidationError):
            form.add_model_errors(error)
        else:
            super().refused(form, error)

    def done_message(self, place, result, form):
        return _("The framework rules for %(p)s were saved.") % {"p": place}


class BoundariesUpload(StaffAction):
    """An officer uploads a GeoJSON file of boundaries for a place and the places
    inside it."""

    perm = "civic.change_boundaries"
    form_class = BoundaryForm

    def perform(self, actor, place, form):
        data = form.cleaned_data
        return services.boundaries_import(
            actor=actor,
            place=place,
            text=data["file"].read(),
            valid_from=data["valid_from"],
            source=data["source"] or data["file"].name,
        )

    def refused(self, form, error):
        form.add_error("file", refusal_messages(error)[0])

    def done_message(self, place, result, form):
        return _("Boundaries saved for %(names)s.") % {
            "names": ", ".join(p.name for p in result)
        }
