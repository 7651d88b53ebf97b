"""The back office in the Wagtail admin ("Your work"): what every action view shares,
the civic actions (a place's framework rules and map boundaries) and the audit-log queue.

An action view is a shell over one staff action of `civic.flows` (each app's
`flows.py`): it asks the action's permission (`civic.access.require`, the same names
as the public pages), shows the action's form and submits it with `flows.run`, the
same path the site's page takes; a refusal comes back on the form and nothing is half
stored. The views are mounted under /admin/work/ by cms/backoffice.py.
"""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from civic import cil, spreadsheets
from civic.access import require
from civic.flows import BoundariesUpload, RulesUpdate, StaffAction, run
from civic.framework import resolve_rules
from civic.models import AuditEntry, BoundaryGeneration, FrameworkRules, Place
from civic.rule_descriptions import rules_form_rows
from civic.selectors import cil_report, cil_report_rows, cil_years
from civic.work_queues import QueueViewSet


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


class ActionFormView(WorkMixin, TemplateView):
    """The back-office page of one staff action (`civic.flows`): the action's own
    form, submitted through `flows.run`, so the site's page and this one share the
    permission, the form, the service call and the messages. On success the user goes
    to `get_success_url(result)`; a refusal shows on the form."""

    action: StaffAction
    template_name = "cms/admin/work_form.html"
    submit_label = _l("Save")
    intro_template = ""

    @property
    def perm(self):
        return self.action.perm

    def permission_object(self):
        return self.action.permission_object(self.object)

    def get_success_url(self, result):
        return reverse("work:index")

    def post(self, request, *args, **kwargs):
        outcome = run(self.action, request, self.object)
        if outcome.done:
            return redirect(self.get_success_url(outcome.result))
        return self.render_to_response(
            self.get_context_data(form=outcome.form), status=400
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            context["form"] = self.action.get_form(self.object)
        context.update(
            action_url=self.request.get_full_path(),
            submit_button_label=self.submit_label,
            submit_button_active_label=self.submit_label,
            intro_template=self.intro_template,
        )
        return context


class RulesView(PlaceWork, ActionFormView):
    action = RulesUpdate()
    action_label = _l("Framework rules")
    template_name = "cms/admin/work_rules.html"
    submit_label = _l("Save rules")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inherited = resolve_rules(
            self.object, edits={self.object.pk: FrameworkRules(place=self.object)}
        )
        context["rows"] = rules_form_rows(context["form"], inherited)
        # Votes open here keep the rules they froze (the layers above say which).
        context["open_votes"] = [
            vote
            for found in hooks.get_hooks("open_votes")
            for vote in found(self.object)
        ]
        return context


class BoundariesView(PlaceWork, ActionFormView):
    action = BoundariesUpload()
    action_label = _l("Map boundaries")
    template_name = "cms/admin/work_boundaries.html"
    submit_label = _l("Upload")

    def get_success_url(self, result):
        return self.request.get_full_path()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Each place's code and boundary generations, without loading the shapes.
        generations = {}
        for place_id, valid_from, source in BoundaryGeneration.objects.filter(
            place__path__startswith=self.object.path
        ).values_list("place_id", "valid_from", "source"):
            generations.setdefault(place_id, []).append((valid_from, source))
        context["inside"] = [
            (name, code, has_boundary, generations.get(pk, []))
            for pk, name, code, has_boundary in Place.objects.filter(
                path__startswith=self.object.path
            ).values_list(
                "pk",
                "name",
                "gss_code",
                ExpressionWrapper(
                    Q(boundary__isnull=False), output_field=BooleanField()
                ),
            )
        ]
        return context


class CilView(PlaceWork, TemplateView):
    """The CIL neighbourhood portion of a place and the places inside it, by financial
    year, for the council's Infrastructure Funding Statement (CSV)."""

    perm = "civic.change_budget"
    action_label = _l("CIL neighbourhood portion")
    template_name = "cms/admin/work_cil.html"

    def get(self, request, *args, **kwargs):
        self.years = cil_years(self.object)
        try:
            self.year = int(request.GET.get("year") or self.years[0])
        except (ValueError, IndexError):
            self.year = cil.financial_year(timezone.localdate())
        self.rows = cil_report(self.object, self.year)
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            name = f"cil-{self.object.slug}-{self.year}-{str(self.year + 1)[2:]}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            spreadsheets.writer(response).writerows(cil_report_rows(self.rows))
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows = self.rows
        return {
            **super().get_context_data(**kwargs),
            "years": self.years,
            "year": self.year,
            "year_label": f"{self.year}/{str(self.year + 1)[2:]}",
            "rows": rows,
            "totals": {
                "received": sum(r.receipt.receipts_pence for r in rows),
                "portion": sum(r.portion.portion_pence for r in rows),
                "held": sum(r.held_pence for r in rows),
                "not_held": sum(r.not_in_a_budget_pence for r in rows),
            },
        }


class AuditQueue(QueueViewSet):
    """The hash-chained audit log of the places where the user is a councillor or an
    officer (read only, as every queue)."""

    model, icon, menu_label = AuditEntry, "history", _l("Audit log")
    path_field, perm = "place__path", "civic.view_audit"
    columns = ("created_at", "actor_label", "action", "summary", "place")
    list_filter, search_fields = ["action"], ["summary"]
