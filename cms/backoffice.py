"""The back office's actions in the Wagtail admin ("Your work").

Every view here asks the same permission module as the public pages (`civic.access.
require` with the same permission names) and calls the same services, so the rules
that guard an action on the site guard it in the admin too: a broken rule comes back
as a message on the form, and nothing is half stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from accountability import delivery as delivery_services
from accountability.forms import MilestoneForm
from accountability.models import Decision
from accountability.services import decision_publish
from accountability.views import (
    decision_form,
    decision_form_save,
    report_csv,
    report_data,
    report_period,
)
from ballots import selectors as ballot_selectors
from ballots import services as ballot_services
from ballots.forms import PaperVoterForm, PhaseForm
from ballots.models import Cycle, Phase
from ballots.services import VotingError
from ballots.views import count_message, paper_submit, phase_message
from civic import services as civic_services
from civic.access import require
from civic.forms import FrameworkRulesForm
from civic.framework import resolve_rules
from civic.models import FrameworkRules, Place, RoleKind
from civic.selectors import role_paths, rules_form_rows, under_paths
from forums import selectors as forum_selectors
from forums import services as forum_services
from forums.forms import (
    CodeBatchForm,
    IdeaReviewForm,
    ModerateForm,
    TransitionForm,
)
from forums.models import (
    Forum,
    Idea,
    IdeaStatus,
    Membership,
    MembershipStatus,
    Proposal,
    Report,
    VerificationCodeBatch,
)
from forums.printing import codes_file
from forums.services import ForumError
from forums.workflow import TransitionError, allowed_targets

REFUSALS = (ForumError, VotingError, TransitionError)


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


class ForumWork(WorkMixin):
    model, related, lookup = Forum, ("place",), "slug"


class CycleWork(WorkMixin):
    model, related, lookup = Cycle, ("place",), "slug"


class ProposalWork(WorkMixin):
    model, related = Proposal, ("forum__place", "category")
    intro_template = "cms/admin/work_proposal_intro.html"


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
        except (*REFUSALS, ValidationError) as error:
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


# Your work ----------------------------------------------------------------------------


def work_for(user) -> dict:
    """The places, forums and cycles where `user` has back-office work, with counts."""
    everything = user.is_superuser

    def scope(kinds, field):
        return Q() if everything else under_paths(role_paths(user, kinds), field)

    org, cllr, off = RoleKind.ORGANISER, RoleKind.COUNCILLOR, RoleKind.OFFICER
    forums = (
        Forum.objects.filter(scope((org, cllr), "place__path"))
        .select_related("place")
        .annotate(
            ideas_waiting=Count(
                "ideas", filter=Q(ideas__status=IdeaStatus.SUBMITTED), distinct=True
            ),
            members_waiting=Count(
                "memberships",
                filter=Q(memberships__status=MembershipStatus.PENDING),
                distinct=True,
            ),
            reports_open=Count(
                "reports", filter=Q(reports__resolved_at__isnull=True), distinct=True
            ),
        )
        .order_by("name")
    )
    return {
        "forums": [
            {"forum": f, "organiser": user.has_perm("forums.review_ideas", f)}
            for f in forums
        ],
        "places": [
            {
                "place": p,
                "officer": user.has_perm("civic.change_rules", p),
                "councillor": user.has_perm("civic.record_decision", p),
            }
            for p in Place.objects.filter(scope((cllr, off), "path")).order_by("path")
        ],
        "cycles": [
            {
                "cycle": c,
                "officer": user.has_perm("ballots.manage_cycle", c),
                "paper": user.has_perm("ballots.enter_paper", c),
            }
            for c in Cycle.objects.filter(scope((org, off), "place__path"))
            .filter(archived=False)
            .select_related("place")
            .order_by("-voting_start")
        ],
    }


class WorkIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/admin/work_index.html"
    page_title = _l("Your work")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **work_for(self.request.user)}


# Places: framework rules, money report, decisions --------------------------------------


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


class ReportView(PlaceWork, TemplateView):
    perm = "civic.view_report"
    action_label = _l("Money report")
    template_name = "cms/admin/work_report.html"

    def get(self, request, *args, **kwargs):
        self.start, self.end = report_period(request)
        if self.start is None:
            messages.error(request, _("Dates must look like 2026-04-01."))
            return redirect("work:report", slug=self.object.slug)
        self.data = report_data(self.object, self.start, self.end)
        if request.GET.get("format") == "csv":
            return report_csv(
                request.user, self.object, self.start, self.end, self.data
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **self.data,
            "start": self.start,
            "end": self.end,
        }


class DecisionEditView(PlaceWork, ActionFormView):
    perm = "civic.record_decision"
    action_label = _l("Record a decision")
    submit_label = _l("Save draft")
    success_message = _l("Draft saved. Check it, then publish the notice.")

    def get_object(self):
        place = super().get_object()
        self.decision = None
        if self.kwargs.get("pk"):
            self.decision = get_object_or_404(
                Decision, pk=self.kwargs["pk"], place=place, published_at__isnull=True
            )
        return place

    def get_form(self, form_class=None):
        return decision_form(self.request.POST or None, self.object, self.decision)

    def perform(self, form):
        self.saved = decision_form_save(
            self.request.user, self.object, form, self.decision
        )
        return self.saved

    def get_success_url(self):
        return reverse("work:decision_publish", args=[self.saved.pk])


class DecisionPublishView(WorkMixin, TemplateView):
    perm = "civic.record_decision"
    action_label = _l("Publish decision notice")
    template_name = "cms/admin/work_decision_publish.html"

    model, related, permission_via = Decision, ("place", "cycle"), "place"

    def post(self, request, *args, **kwargs):
        try:
            decision_publish(actor=request.user, decision=self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("work:decision_publish", pk=self.object.pk)
        messages.success(
            request, _("Published. Residents following the forum are told by email.")
        )
        return redirect("work:index")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "decision": self.object,
            "votes": self.object.votes.select_related("councillor"),
            "proposals": self.object.proposals.all(),
        }


# Forums: members, codes, ideas, proposals, moderation, milestones -----------------------


class MembersView(ForumWork, TemplateView):
    perm = "forums.manage_members"
    action_label = _l("Membership requests")
    template_name = "cms/admin/work_members.html"

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(
            Membership, pk=request.POST.get("membership"), forum=self.object
        )
        approve = request.POST.get("decision") == "approve"
        try:
            forum_services.membership_decide(
                actor=request.user, membership=membership, approve=approve
            )
        except ForumError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                (
                    _("%(u)s is now a member.")
                    if approve
                    else _("%(u)s was turned down.")
                )
                % {"u": membership.user},
            )
        return redirect("work:members", slug=self.object.slug)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "pending": forum_selectors.pending_members(self.object),
            "member_count": self.object.memberships.filter(
                status=MembershipStatus.VERIFIED
            ).count(),
        }


class CodesView(ForumWork, ActionFormView):
    perm = "forums.manage_codes"
    action_label = _l("Verification codes")
    form_class = CodeBatchForm
    template_name = "cms/admin/work_codes.html"
    submit_label = _l("Generate codes")
    success_message = _l("Codes generated. Download them to print.")

    def perform(self, form):
        return forum_services.codes_generate(
            actor=self.request.user, forum=self.object, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("work:codes", args=[self.object.slug])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batches"] = self.object.code_batches.annotate(
            total=Count("codes"),
            used=Count("codes", filter=Q(codes__used_at__isnull=False)),
        )
        return context


class CodesDownloadView(ForumWork, TemplateView):
    perm = "forums.manage_codes"

    def get(self, request, *args, **kwargs):
        batch = get_object_or_404(
            VerificationCodeBatch, pk=self.kwargs["pk"], forum=self.object
        )
        return codes_file(request.user, batch, self.kwargs["fmt"])


class IdeaReviewView(ActionFormView):
    perm = "forums.review_ideas"
    action_label = _l("Review idea")
    submit_label = _l("Save review")
    success_message = _l("Review saved.")
    intro_template = "cms/admin/work_idea_intro.html"

    model, related = Idea, ("forum__place", "author", "category")
    permission_via = "forum"

    def get_form(self, form_class=None):
        return IdeaReviewForm(self.request.POST or None, idea=self.object)

    def perform(self, form):
        return forum_services.idea_review(
            actor=self.request.user, idea=self.object, **form.service_kwargs()
        )

    def get_success_url(self):
        return reverse("queue_idea:index")


class ProposalStatusView(ProposalWork, ActionFormView):
    perm = "forums.transition_proposal"
    action_label = _l("Change proposal status")
    submit_label = _l("Change status")
    success_message = _l("Proposal updated.")

    def get_form(self, form_class=None):
        return TransitionForm(
            self.request.POST or None, targets=allowed_targets(self.object.status)
        )

    def perform(self, form):
        return forum_services.proposal_transition(
            actor=self.request.user,
            proposal=self.object,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )

    def get_success_url(self):
        return reverse("queue_proposal:index")


class MilestoneView(ProposalWork, ActionFormView):
    perm = "forums.post_milestone"
    action_label = _l("Post a delivery milestone")
    submit_label = _l("Post milestone")
    success_message = _l("Milestone posted.")

    def get_form(self, form_class=None):
        return MilestoneForm(self.request.POST or None, self.request.FILES or None)

    def perform(self, form):
        return delivery_services.milestone_post(
            actor=self.request.user, proposal=self.object, data=form.milestone_data()
        )

    def get_success_url(self):
        return reverse("queue_milestone:index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["milestones"] = self.object.milestones.all()
        return context


class ModerateView(ActionFormView):
    perm = "forums.moderate"
    action_label = _l("Moderate report")
    form_class = ModerateForm
    submit_label = _l("Apply")
    success_message = _l("Done. The action is recorded in the moderation log.")
    intro_template = "cms/admin/work_report_intro.html"

    model, related = Report, ("forum__place", "comment", "proposal")
    permission_via = "forum"

    def perform(self, form):
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        if action == "dismiss":
            return forum_services.report_dismiss(
                actor=self.request.user, report=self.object
            )
        return forum_services.moderate(
            actor=self.request.user,
            target=self.object.target,
            action=action,
            reason=reason,
        )

    def get_success_url(self):
        return reverse("queue_report:index")


# Cycles: phases, counting, paper ballots -----------------------------------------------


class PhaseView(CycleWork, ActionFormView):
    perm = "ballots.manage_cycle"
    action_label = _l("Cycle phase")
    form_class = PhaseForm
    submit_label = _l("Change phase")
    intro_template = "cms/admin/work_phase_intro.html"

    def get_initial(self):
        return {"phase": self.object.phase}

    def perform(self, form):
        if self.request.POST.get("count"):
            now = ballot_services.cycle_count_by_hand(
                actor=self.request.user, cycle=self.object
            )
            self.success_message = count_message(now)
            return self.object
        now = ballot_services.cycle_set_phase_by_hand(
            actor=self.request.user, cycle=self.object, phase=form.cleaned_data["phase"]
        )
        self.success_message = phase_message(form.cleaned_data["phase"], now)
        return self.object

    def get_success_url(self):
        return reverse("work:phase", args=[self.object.slug])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = self.object.phase_changes.select_related("actor").order_by(
            "-created_at"
        )[:10]
        context["can_count"] = self.object.phase == Phase.COUNTING
        return context


class PaperBallotView(CycleWork, ActionFormView):
    perm = "ballots.enter_paper"
    action_label = _l("Enter a paper ballot")
    form_class = PaperVoterForm
    template_name = "cms/admin/work_paper.html"
    submit_label = _l("Record paper ballot")

    def get_object(self):
        cycle = super().get_object()
        self.sections = ballot_selectors.ballot_sections(
            cycle, seed="paper", sort="category"
        )
        return cycle

    def perform(self, form):
        receipt, errors = paper_submit(
            self.request.user, self.object, form, self.request.POST, self.sections
        )
        for error in errors:
            form.add_error(None, error)
        if receipt:
            self.success_message = _(
                "Paper ballot recorded. Give the voter their receipt: %(r)s"
            ) % {"r": receipt}
            return receipt
        return None

    def get_success_url(self):
        return reverse("work:paper", args=[self.object.slug])

    def get_context_data(self, **kwargs):
        rules = self.object.rules
        return {
            **super().get_context_data(**kwargs),
            "sections": self.sections,
            "method": rules["ballot_method"],
            "rules": rules,
        }


class WorkViewSet(ViewSet):
    """The back office's action views, mounted under /admin/work/."""

    name = "work"
    url_prefix = "work"
    icon = "tasks"
    menu_label = _l("Your work")

    def get_urlpatterns(self):
        return [
            path("", WorkIndexView.as_view(), name="index"),
            path("places/<slug:slug>/rules/", RulesView.as_view(), name="rules"),
            path("places/<slug:slug>/report/", ReportView.as_view(), name="report"),
            path(
                "places/<slug:slug>/decisions/new/",
                DecisionEditView.as_view(),
                name="decision_new",
            ),
            path(
                "places/<slug:slug>/decisions/<int:pk>/edit/",
                DecisionEditView.as_view(),
                name="decision_edit",
            ),
            path(
                "decisions/<int:pk>/publish/",
                DecisionPublishView.as_view(),
                name="decision_publish",
            ),
            path("forums/<slug:slug>/members/", MembersView.as_view(), name="members"),
            path("forums/<slug:slug>/codes/", CodesView.as_view(), name="codes"),
            path(
                "forums/<slug:slug>/codes/<int:pk>.<str:fmt>",
                CodesDownloadView.as_view(),
                name="codes_download",
            ),
            path(
                "ideas/<int:pk>/review/", IdeaReviewView.as_view(), name="idea_review"
            ),
            path(
                "proposals/<int:pk>/status/",
                ProposalStatusView.as_view(),
                name="proposal_status",
            ),
            path(
                "proposals/<int:pk>/milestone/",
                MilestoneView.as_view(),
                name="milestone",
            ),
            path("reports/<int:pk>/moderate/", ModerateView.as_view(), name="moderate"),
            path("cycles/<slug:slug>/phase/", PhaseView.as_view(), name="phase"),
            path("cycles/<slug:slug>/paper/", PaperBallotView.as_view(), name="paper"),
        ]
