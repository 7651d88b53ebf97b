"""The back office in the Wagtail admin ("Your work"): what every action view shares,
and the civic actions (a place's framework rules).

Every view asks the same permission module as the public pages (`civic.access.require`
with the same permission names) and calls the same services, so the rules that guard
an action on the site guard it in the admin too: a refusal (`DomainError`, or a
`ValidationError`) comes back as a message on the form, and nothing is half stored.
The views are mounted under /admin/work/ by cms/backoffice.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civic import services as civic_services
from civic.access import require
from civic.errors import DomainError
from civic.forms import FrameworkRulesForm
from civic.framework import resolve_rules
from civic.models import FrameworkRules, Place
from civic.rule_descriptions import rules_form_rows


def refusal_messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [error.message]


class WorkMixin(WagtailAdminTemplateMixin):
    """Loads the record, asks the permission module, titles and breadcrumbs."""

    perm = ""
    action_label = ""
    header_icon = "tasks"

    # The record: `model` (with `related`) looked up by the URL's `lookup` argument; the
    # permission is asked of the record itself or of what `permission_via` names.
    model = None
    related: tuple = ()
    lookup = "pk"
    permission_via = ""

    def get_object(self):
        queryset = self.model._default_manager.select_related(*self.related)
        return get_object_or_404(queryset, **{self.lookup: self.kwargs[self.lookup]})

    def permission_object(self):
        if not self.permission_via:
            return self.object
        return getattr(self.object, self.permission_via)

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        require(request, self.perm, self.permission_object())
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.action_label}: {self.object}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("work:index"), "label": _("Your work")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context


class PlaceWork(WorkMixin):
    model, lookup = Place, "slug"


class ActionFormView(WorkMixin, FormView):
    """A form whose valid submission calls one service (`perform`). A refusal from
    the service is shown on the form; on success the user goes to `success_url()`."""

    template_name = "cms/admin/work_form.html"
    submit_label = _l("Save")
    intro_template = ""
    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def get_success_url(self):
        return reverse("work:index")

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except (DomainError, ValidationError) as error:
            for message in refusal_messages(error):
                form.add_error(None, message)
            return self.form_invalid(form)
        if result is None and form.errors:
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.get_full_path(),
            submit_button_label=self.submit_label,
            submit_button_active_label=self.submit_label,
            intro_template=self.intro_template,
        )
        return context


class RulesView(PlaceWork, ActionFormView):
    perm = "civic.change_rules"
    action_label = _l("Framework rules")
    template_name = "cms/admin/work_rules.html"
    submit_label = _l("Save rules")

    def get_form(self, form_class=None):
        return FrameworkRulesForm(
            self.request.POST or None,
            instance=FrameworkRules.objects.filter(place=self.object).first(),
        )

    def perform(self, form):
        try:
            civic_services.rules_update(
                actor=self.request.user,
                place=self.object,
                values=form.to_values(),
                locked_fields=form.cleaned_data["locked_fields"],
            )
        except ValidationError as error:
            form.add_model_errors(error)
            return None
        self.success_message = _("The framework rules for %(p)s were saved.") % {
            "p": self.object
        }
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inherited = resolve_rules(
            self.object, edits={self.object.pk: FrameworkRules(place=self.object)}
        )
        context["rows"] = rules_form_rows(context["form"], inherited)
        return context
