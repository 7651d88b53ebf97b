"""Public and officer pages of the civic domain. Thin: parse, ask, call, render."""

from __future__ import annotations

import hmac
import json
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks

from . import gov_notify, sealing, selectors
from .access import require
from .forms import (
    MobileCodeForm,
    MobileForm,
    PostcodeForm,
    ProfileForm,
)
from .models import AuditEntry, Place, Role
from .notify import can_text, send_code_by_text
from .personal_data import delete_account as delete
from .personal_data import export_data
from .selectors import page_of
from .tasks import record_receipt


def home(request):
    require(request, "civic.view_place")
    return render(
        request,
        "civic/home.html",
        {"tree": selectors.place_tree(), "postcode_form": PostcodeForm()},
    )


def find_place(request):
    require(request, "civic.view_place")
    form = PostcodeForm(request.GET or None)
    if form.is_valid():
        place = selectors.place_by_postcode(form.cleaned_data["postcode"])
        if place is not None:
            return redirect(place)
        form.add_error(
            "postcode",
            _(
                "We could not find a neighbourhood for that postcode. Check it, or browse the list."
            ),
        )
    return render(
        request,
        "civic/home.html",
        {"tree": selectors.place_tree(), "postcode_form": form},
    )


def place_detail(request, slug):
    place = get_object_or_404(Place.objects.select_related("forum"), slug=slug)
    require(request, "civic.view_place", place)
    # A place with a published page (cms) has one address: the page's.
    page = page_of(place)
    if page is not None and page.live:
        return redirect(page.url)
    context = selectors.place_page(place)
    context["can_edit_rules"] = request.user.has_perm("civic.change_rules", place)
    context["can_manage_roles"] = request.user.has_perm("civic.manage_roles", place)
    context["can_view_audit"] = request.user.has_perm("civic.view_audit", place)
    context["can_edit_boundaries"] = request.user.has_perm(
        "civic.change_boundaries", place
    )
    return render(request, "civic/place_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    require(request, "civic.edit_profile")
    form = ProfileForm(
        request.POST or None, instance=request.user, can_text=can_text(request.user)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("civic:profile")
    roles = Role.objects.filter(user=request.user).select_related("place")
    return render(
        request,
        "civic/profile.html",
        {
            "form": form,
            "roles": roles,
            "texts": gov_notify.enabled(),
            "mobile_form": MobileForm(),
            "code_form": MobileCodeForm(),
            "code_sent_to": request.session.get(MOBILE_CHECK, {}).get("mobile"),
            # What the layers above add (wagtail hook "profile_page"): a poll
            # officer's shifts and their desks (ballots/wagtail_hooks.py).
            **{
                key: value
                for extend in hooks.get_hooks("profile_page")
                for key, value in extend(request.user).items()
            },
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def audit_log(request, slug):
    place = get_object_or_404(Place, slug=slug)
    require(request, "civic.view_audit", place)
    entries = AuditEntry.objects.filter(
        place__path__startswith=place.path
    ).select_related("place")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    actions = (
        AuditEntry.objects.filter(place__path__startswith=place.path)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    return render(
        request,
        "civic/audit_log.html",
        {"place": place, "page": page, "action": action, "actions": actions},
    )


@login_required
def my_data(request):
    """Download everything we hold about you, as JSON."""
    import json

    from django.http import HttpResponse

    require(request, "civic.edit_profile")
    response = HttpResponse(
        json.dumps(export_data(request.user), indent=2, default=str),
        content_type="application/json",
    )
    response["Content-Disposition"] = (
        'attachment; filename="my-neighbourhood-budgets-data.json"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    from django.contrib.auth import logout

    require(request, "civic.edit_profile")
    error = ""
    if request.method == "POST":
        if request.user.check_password(request.POST.get("password", "")):
            user = request.user
            logout(request)
            delete(user)
            messages.success(request, _("Your account has been deleted."))
            return redirect("/")
        error = _("That password is not right, so nothing was deleted.")
    return render(
        request,
        "civic/delete_account.html",
        {"error": error},
        status=400 if error else 200,
    )


@csrf_exempt
@require_POST
def set_language(request):
    """Django's language switcher, which also remembers a signed-in person's choice so
    their emails come in the same language. A visitor without an account changes only
    their own language cookie, so their form carries no CSRF token and the pages that
    hold it can be shared (civic/page_cache.py); a signed-in person's form is checked
    as every other."""
    from django.views.i18n import set_language as django_set_language

    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


# A mobile number proved by a code texted to it (civic/notify.py): the code's keyed
# digest, the number and when it lapses wait in the session, never the code itself.
MOBILE_CHECK = "nb_mobile_check"
MOBILE_CODE_MINUTES, MOBILE_CODE_TRIES = 10, 5


@require_POST
def mobile(request):
    """Give (or remove) a mobile number: a code is texted to it to prove it."""
    require(request, "civic.edit_profile")
    user = request.user
    if request.POST.get("remove"):
        user.mobile, user.mobile_verified = "", False
        user.text_receipt = user.text_reminders = False
        user.save(
            update_fields=[
                "mobile",
                "mobile_verified",
                "text_receipt",
                "text_reminders",
            ]
        )
        request.session.pop(MOBILE_CHECK, None)
        messages.success(request, _("Your mobile number was removed."))
        return redirect("civic:profile")
    if not gov_notify.enabled():
        messages.error(request, _("This site does not send text messages."))
        return redirect("civic:profile")
    form = MobileForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["mobile"][0])
        return redirect("civic:profile")
    number = form.cleaned_data["mobile"]
    code = f"{secrets.randbelow(10**6):06d}"
    request.session[MOBILE_CHECK] = {
        "mobile": number,
        "digest": sealing.digest(code, MOBILE_CHECK),
        "until": time.time() + MOBILE_CODE_MINUTES * 60,
        "tries": 0,
    }
    send_code_by_text(user, number, code)
    messages.success(
        request,
        _("We texted a code to %(n)s. Enter it below within %(m)s minutes.")
        % {"n": number, "m": MOBILE_CODE_MINUTES},
    )
    return redirect("civic:profile")


@require_POST
def mobile_confirm(request):
    """The code from the text proves the number is theirs."""
    require(request, "civic.edit_profile")
    check = request.session.get(MOBILE_CHECK)
    form = MobileCodeForm(request.POST)
    if not check or time.time() > check["until"] or check["tries"] >= MOBILE_CODE_TRIES:
        request.session.pop(MOBILE_CHECK, None)
        messages.error(request, _("That code has lapsed: ask for a new one."))
        return redirect("civic:profile")
    code = "".join(form.data.get("code", "").split())
    if not hmac.compare_digest(sealing.digest(code, MOBILE_CHECK), check["digest"]):
        check["tries"] += 1
        request.session[MOBILE_CHECK] = check
        messages.error(request, _("That is not the code we texted. Try again."))
        return redirect("civic:profile")
    request.session.pop(MOBILE_CHECK)
    user = request.user
    user.mobile, user.mobile_verified = check["mobile"], True
    user.save(update_fields=["mobile", "mobile_verified"])
    messages.success(
        request,
        _("Your mobile number is confirmed. Choose below what we may text you."),
    )
    return redirect("civic:profile")


@csrf_exempt
@require_POST
def notify_callback(request):
    """GOV.UK Notify's delivery receipts (its "callbacks"): each says what became of
    one email, text or letter. Notify signs them with the bearer token the council set
    in Notify and here (NOTIFY_CALLBACK_TOKEN)."""
    expected = settings.NB_NOTIFY["callback_token"]
    given = request.headers.get("Authorization", "")
    if not expected or not hmac.compare_digest(given, f"Bearer {expected}"):
        return JsonResponse({"error": "unauthorised"}, status=401)
    try:
        receipt = json.loads(request.body)
        notify_id, status = str(receipt["id"]), str(receipt["status"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "a receipt needs id and status"}, status=400)
    known = record_receipt(notify_id, status[:30])
    return JsonResponse({"recorded": known})
