"""Forum pages. Thin: parse, ask the permission module, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civic.access import require
from civic.framework import resolve_rules
from civic.models import Place
from civic.ratelimit import RateLimited
from civic.selectors import page_of, place_map

from . import selectors, services
from .forms import (
    CodeBatchForm,
    CommentForm,
    IdeaForm,
    IdeaReviewForm,
    JoinForm,
    ModerateForm,
    ProposalForm,
    ReportForm,
    TopicForm,
    TransitionForm,
)
from .models import (
    Comment,
    Forum,
    Idea,
    IdeaStatus,
    Membership,
    MembershipStatus,
    Proposal,
    Report,
    Topic,
    VerificationCodeBatch,
)
from .printing import codes_file
from .services import ForumError
from .workflow import TransitionError, allowed_targets

# What the gallery shows, fetched in a few queries whatever the number of pictures.
GALLERY = ("pictures__image__renditions", "attachments__document")


def _forum(slug) -> Forum:
    return get_object_or_404(Forum.objects.select_related("place"), slug=slug)


def _bad(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def forum_context(request, forum: Forum) -> dict:
    """Everything the forum page shows; used by this view and by the Wagtail ForumPage."""
    context = selectors.forum_page(forum, request.GET, request.GET.get("page"))
    # Lazy: only asked for by the template when it needs them (bounded queries).
    context["membership"] = SimpleLazyObject(
        lambda: selectors.membership_of(request.user, forum)
    )
    context["params"] = request.GET
    context["boundaries"] = place_map(forum.place)
    context["is_organiser"] = request.user.has_perm("forums.review_ideas", forum)
    context["can_moderate"] = request.user.has_perm("forums.moderate", forum)
    context["is_member"] = request.user.has_perm("forums.submit_idea", forum)
    context["following"] = (
        request.user.is_authenticated
        and forum.follows.filter(user=request.user).exists()
    )
    return context


def forum_detail(request, slug):
    forum = _forum(slug)
    require(request, "forums.view_forum", forum)
    page = page_of(forum)
    if page is not None and page.live:
        query = request.META.get("QUERY_STRING")
        return redirect(page.url + (f"?{query}" if query else ""))
    return render(request, "forums/forum_detail.html", forum_context(request, forum))


@require_http_methods(["GET", "POST"])
def join(request, slug):
    forum = _forum(slug)
    require(request, "forums.join_forum", forum)
    methods = resolve_rules(forum.place).verification_methods
    form = JoinForm(
        request.POST or None,
        methods=methods,
        initial={"postcode": request.user.postcode},
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.forum_join(
                user=request.user,
                forum=forum,
                method=form.cleaned_data["method"],
                postcode=form.cleaned_data["postcode"],
                code=form.cleaned_data["code"],
                message=form.cleaned_data["message"],
            )
        except ForumError as error:
            form.add_error(None, error.message)
        else:
            if membership.status == MembershipStatus.VERIFIED:
                messages.success(
                    request,
                    _("Welcome! You are now a verified member of %(f)s.")
                    % {"f": forum},
                )
            else:
                messages.info(
                    request, _("Thanks. An organiser will check your request soon.")
                )
            return redirect(forum)
    return render(
        request,
        "forums/join.html",
        {
            "forum": forum,
            "form": form,
            "membership": selectors.membership_of(request.user, forum),
        },
        status=_bad(form),
    )


@require_POST
def follow(request, slug):
    forum = _forum(slug)
    require(request, "forums.follow_forum", forum)
    following = services.follow_toggle(user=request.user, forum=forum)
    messages.success(
        request,
        _("You are following this forum.")
        if following
        else _("You no longer follow this forum."),
    )
    return redirect(forum)


@require_http_methods(["GET", "POST"])
def members(request, slug):
    forum = _forum(slug)
    require(request, "forums.manage_members", forum)
    if request.method == "POST":
        membership = get_object_or_404(
            Membership, pk=request.POST.get("membership"), forum=forum
        )
        try:
            services.membership_decide(
                actor=request.user,
                membership=membership,
                approve=request.POST.get("decision") == "approve",
            )
        except ForumError as error:
            messages.error(request, error.message)
        return redirect("forums:members", slug=forum.slug)
    return render(
        request,
        "forums/members.html",
        {
            "forum": forum,
            "pending": selectors.pending_members(forum),
            "members": forum.memberships.filter(
                status=MembershipStatus.VERIFIED
            ).select_related("user")[:500],
        },
    )


@require_http_methods(["GET", "POST"])
def codes(request, slug):
    forum = _forum(slug)
    require(request, "forums.manage_codes", forum)
    form = CodeBatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.codes_generate(
                actor=request.user, forum=forum, **form.cleaned_data
            )
        except ForumError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Codes generated. Download them to print."))
            return redirect("forums:codes", slug=forum.slug)

    batches = forum.code_batches.annotate(
        total=Count("codes"),
        used=Count("codes", filter=Q(codes__used_at__isnull=False)),
    )
    return render(
        request,
        "forums/codes.html",
        {"forum": forum, "form": form, "batches": batches},
        status=_bad(form),
    )


def codes_download(request, slug, pk, fmt):
    forum = _forum(slug)
    require(request, "forums.manage_codes", forum)
    batch = get_object_or_404(VerificationCodeBatch, pk=pk, forum=forum)
    return codes_file(request.user, batch, fmt)


# Ideas ------------------------------------------------------------------------------


def ideas(request, slug):
    forum = _forum(slug)
    require(request, "forums.view_forum", forum)
    return render(
        request,
        "forums/ideas.html",
        {
            "forum": forum,
            "ideas": selectors.ideas_for_review(forum)[:300],
            "is_organiser": request.user.has_perm("forums.review_ideas", forum),
        },
    )


@require_http_methods(["GET", "POST"])
def idea_new(request, slug):
    forum = _forum(slug)
    require(request, "forums.submit_idea", forum)
    form = IdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_submit(
                author=request.user, forum=forum, data=form.to_data()
            )
        except (RateLimited, ForumError) as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you. The organisers will review your idea.")
            )
            return redirect(idea)
    return render(
        request,
        "forums/idea_form.html",
        {"forum": forum, "form": form},
        status=_bad(form),
    )


def idea_detail(request, slug, pk):
    forum = _forum(slug)
    idea = get_object_or_404(
        Idea.objects.select_related(
            "author", "category", "merged_into"
        ).prefetch_related(*GALLERY),
        pk=pk,
        forum=forum,
    )
    require(request, "forums.view_idea", idea)
    can_review = request.user.has_perm("forums.review_ideas", forum)
    return render(
        request,
        "forums/idea_detail.html",
        {
            "forum": forum,
            "idea": idea,
            "can_review": can_review,
            "can_edit": request.user.has_perm("forums.edit_idea", idea)
            and idea.status in (IdeaStatus.SUBMITTED, IdeaStatus.CHANGES_REQUESTED),
            "review_form": IdeaReviewForm(
                idea=idea, initial={"cost": (idea.rough_cost_pence or 0) / 100 or None}
            )
            if can_review
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def idea_edit(request, slug, pk):
    forum = _forum(slug)
    idea = get_object_or_404(Idea, pk=pk, forum=forum)
    require(request, "forums.edit_idea", idea)
    form = IdeaForm(
        request.POST or None,
        request.FILES or None,
        instance=Idea.objects.get(pk=idea.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(author=request.user, idea=idea, data=form.to_data())
        except ForumError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Your idea was updated and sent for review again.")
            )
            return redirect(idea)
    return render(
        request,
        "forums/idea_form.html",
        {"forum": forum, "form": form, "idea": idea},
        status=_bad(form),
    )


@require_POST
def idea_review(request, slug, pk):
    forum = _forum(slug)
    idea = get_object_or_404(Idea, pk=pk, forum=forum)
    require(request, "forums.review_ideas", forum)
    form = IdeaReviewForm(request.POST, idea=idea)
    if form.is_valid():
        try:
            result = services.idea_review(
                actor=request.user, idea=idea, **form.service_kwargs()
            )
        except ForumError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Review saved."))
            return redirect(result)
    return render(
        request,
        "forums/idea_detail.html",
        {"forum": forum, "idea": idea, "can_review": True, "review_form": form},
        status=400,
    )


# Proposals --------------------------------------------------------------------------


def proposal_detail(request, slug, pk):
    forum = _forum(slug)
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "category", "author", "forum__place"
        ).prefetch_related(*GALLERY),
        pk=pk,
        forum=forum,
    )
    require(request, "forums.view_proposal", proposal)
    targets = allowed_targets(proposal.status)
    if not request.user.has_perm("forums.edit_proposal", proposal):
        from .workflow import BY_THE_AUTHOR

        targets = [t for t in targets if (proposal.status, t) in BY_THE_AUTHOR]
    can_transition = (
        request.user.has_perm("forums.transition_proposal", proposal) and targets
    )
    return render(
        request,
        "forums/proposal_detail.html",
        {
            "forum": forum,
            "proposal": proposal,
            "thread": proposal,
            "thread_kind": "proposal",
            "transitions": proposal.transitions.select_related("actor"),
            "decisions": proposal.decisions.filter(published_at__isnull=False),
            "location": selectors.point_feature(proposal),
            "milestones": proposal.milestones.all(),
            "entries": proposal.ballot_entries.select_related("section__cycle"),
            "tree": selectors.comment_tree(proposal),
            "comment_form": CommentForm(),
            "can_comment": request.user.has_perm("forums.comment", proposal),
            "can_react": request.user.has_perm("forums.react", forum),
            "can_moderate": request.user.has_perm("forums.moderate", forum),
            "can_edit": request.user.has_perm("forums.edit_proposal", proposal),
            "transition_form": TransitionForm(targets=targets)
            if can_transition
            else None,
            "user_id": request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def proposal_new(request, slug):
    forum = _forum(slug)
    require(request, "forums.create_proposal", forum)
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user, forum=forum, data=form.to_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft proposal created."))
            return redirect(proposal)
    return render(
        request,
        "forums/proposal_form.html",
        {"forum": forum, "form": form},
        status=_bad(form),
    )


@require_http_methods(["GET", "POST"])
def proposal_edit(request, slug, pk):
    forum = _forum(slug)
    proposal = get_object_or_404(Proposal, pk=pk, forum=forum)
    require(request, "forums.edit_proposal", proposal)
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        instance=Proposal.objects.get(pk=proposal.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(
                actor=request.user, proposal=proposal, data=form.to_data()
            )
        except ForumError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            for msg in error.messages:
                form.add_error(None, msg)
        else:
            messages.success(request, _("Proposal saved."))
            return redirect(proposal)
    return render(
        request,
        "forums/proposal_form.html",
        {"forum": forum, "form": form, "proposal": proposal},
        status=_bad(form),
    )


@require_POST
def proposal_transition(request, slug, pk):
    forum = _forum(slug)
    proposal = get_object_or_404(Proposal, pk=pk, forum=forum)
    require(request, "forums.transition_proposal", proposal)
    form = TransitionForm(request.POST, targets=allowed_targets(proposal.status))
    if not form.is_valid():
        messages.error(request, _("That change is not possible for this proposal."))
        return redirect(proposal)
    try:
        services.proposal_transition(
            actor=request.user,
            proposal=proposal,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )
    except TransitionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        for msg in error.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Proposal updated."))
    return redirect(proposal)


# Debate -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def topic_new(request, slug):
    forum = _forum(slug)
    require(request, "forums.start_topic", forum)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(
                author=request.user, forum=forum, **form.cleaned_data
            )
        except (RateLimited, ForumError) as error:
            form.add_error(None, error.message)
        else:
            return redirect(topic)
    return render(
        request,
        "forums/topic_form.html",
        {"forum": forum, "form": form},
        status=_bad(form),
    )


def topic_detail(request, slug, pk):
    forum = _forum(slug)
    topic = get_object_or_404(
        Topic.objects.select_related("author"), pk=pk, forum=forum
    )
    require(request, "forums.view_forum", forum)
    if topic.hidden and not request.user.has_perm("forums.moderate", forum):
        raise Http404
    return render(
        request,
        "forums/topic_detail.html",
        {
            "forum": forum,
            "topic": topic,
            "thread": topic,
            "thread_kind": "topic",
            "tree": selectors.comment_tree(topic),
            "comment_form": CommentForm(),
            "can_comment": request.user.has_perm("forums.comment", topic),
            "can_react": request.user.has_perm("forums.react", forum),
            "can_moderate": request.user.has_perm("forums.moderate", forum),
            "user_id": request.user.pk,
        },
    )


def _thread(forum, kind, pk):
    model = {"proposal": Proposal, "topic": Topic}.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk, forum=forum)


@require_POST
def comment_post(request, slug, kind, pk):
    forum = _forum(slug)
    thread = _thread(forum, kind, pk)
    if kind == "proposal":
        require(request, "forums.view_proposal", thread)
    require(request, "forums.comment", thread)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Write something before posting (at most 10,000 characters).")
        )
        return redirect(thread)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], forum=forum)
    try:
        comment = services.comment_post(
            author=request.user,
            thread=thread,
            body=form.cleaned_data["body"],
            parent=parent,
        )
    except (ForumError, RateLimited) as error:
        messages.error(request, error.message)
        return redirect(thread)
    return redirect(comment.get_absolute_url())


@require_http_methods(["GET", "POST"])
def comment_edit(request, slug, pk):
    forum = _forum(slug)
    comment = get_object_or_404(Comment, pk=pk, forum=forum)
    require(request, "forums.edit_comment", comment)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                author=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ForumError as error:
            form.add_error(None, error.message)
        else:
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "forums/comment_edit.html",
        {"forum": forum, "comment": comment, "form": form},
        status=_bad(form),
    )


@require_POST
def react(request, slug, pk):
    forum = _forum(slug)
    comment = get_object_or_404(Comment, pk=pk, forum=forum)
    require(request, "forums.react", forum)
    try:
        services.reaction_toggle(
            user=request.user, comment=comment, value=int(request.POST.get("value", 0))
        )
    except (ForumError, ValueError):
        messages.error(request, _("Unknown reaction."))
    return redirect(comment.get_absolute_url())


@require_http_methods(["GET", "POST"])
def report(request, slug, kind, pk):
    forum = _forum(slug)
    model = {"comment": Comment, "proposal": Proposal}.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk, forum=forum)
    require(request, "forums.report", forum)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                user=request.user, target=target, reason=form.cleaned_data["reason"]
            )
        except (ForumError, RateLimited) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect(target.get_absolute_url())
    return render(
        request,
        "forums/report.html",
        {"forum": forum, "form": form, "target": target},
        status=_bad(form),
    )


def moderation_queue(request, slug):
    forum = _forum(slug)
    require(request, "forums.view_moderation_queue", forum)
    return render(
        request,
        "forums/moderation.html",
        {
            "forum": forum,
            "reports": selectors.moderation_queue(forum),
            "form": ModerateForm(),
            "hidden_comments": Comment.objects.filter(
                forum=forum, hidden=True
            ).select_related("author")[:50],
        },
    )


@require_POST
def moderate(request, slug, kind, pk):
    forum = _forum(slug)
    require(request, "forums.moderate", forum)
    model = {
        "comment": Comment,
        "proposal": Proposal,
        "topic": Topic,
        "report": Report,
    }.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk, forum=forum)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a moderation action."))
        return redirect("forums:moderation", slug=forum.slug)
    try:
        if kind == "report":
            if form.cleaned_data["action"] != "dismiss":
                raise ForumError(
                    _("A report can only be dismissed; act on what it reports.")
                )
            services.report_dismiss(actor=request.user, report=target)
        else:
            services.moderate(
                actor=request.user,
                target=target,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
    except ForumError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Done. The action is recorded in the moderation log.")
        )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("forums:moderation", slug=forum.slug)


def map_data(request, place):
    """The map's markers: public proposals with a location in a place (and the places
    inside it), filtered as the forum list is."""
    place = get_object_or_404(Place, slug=place)
    require(request, "civic.view_place", place)
    return JsonResponse(selectors.map_features(place, request.GET))
