"""Every write made through a snippet in the Wagtail admin is in the hash-chained
audit log: each snippet is edited through its admin form (the form as the page shows
it, sent back), one is added and one deleted, and each write's entry is found."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from civic.audit import verify_chain
from civic.models import AuditEntry, Budget, Category, Place, PublicBody, User
from tests.ballots.conftest import _no_frozen_cache, vote_world  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def form_as_shown(page: bytes, action: str) -> dict:
    """The values the edit form holds, as a browser would send them unchanged."""
    soup = BeautifulSoup(page, "html.parser")
    form = next(
        f
        for f in soup.find_all("form")
        if (f.get("method") or "").lower() == "post" and f.get("action") == action
    )
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name, kind = field.get("name"), (field.get("type") or "text").lower()
        if not name or kind in ("submit", "button", "file", "image", "reset"):
            continue
        if kind in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "select":
            chosen = [
                o.get("value", o.text)
                for o in field.find_all("option")
                if o.has_attr("selected")
            ]
            data.setdefault(name, []).extend(chosen)
        elif field.name == "textarea":
            data.setdefault(name, []).append(field.text)
        else:
            data.setdefault(name, []).append(field.get("value", ""))
    return data


@pytest.fixture
def admin(client, vote_world):  # noqa: F811
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def edited(admin, viewset: str, obj) -> AuditEntry:
    url = reverse(f"wagtailsnippets_{viewset}:edit", args=[obj.pk])
    shown = admin.get(url)
    assert shown.status_code == 200
    response = admin.post(url, form_as_shown(shown.content, url))
    assert response.status_code == 302, re.findall(
        r'class="error-message"[^>]*>(.*?)<', response.content.decode(), re.S
    )
    return AuditEntry.objects.get(
        action="admin.edit", object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def test_each_snippet_edited_in_the_admin_is_in_the_audit_log(admin, vote_world):  # noqa: F811
    w = vote_world
    admin_user = User.objects.get(is_superuser=True)
    cases = [
        ("civic_place", w["hood"]),
        ("civic_publicbody", PublicBody.objects.first()),
        ("civic_category", Category.objects.first()),
        ("civic_budget", Budget.objects.get(place=w["hood"])),
        ("forums_forum", w["forum"]),
        ("ballots_cycle", w["cycle"]),
    ]
    for viewset, obj in cases:
        entry = edited(admin, viewset, obj)
        assert entry.actor == admin_user
        assert entry.summary == f"{obj._meta.verbose_name} “{obj}” changed in the admin"
        place = obj if isinstance(obj, Place) else getattr(obj, "place", None)
        assert entry.place == place
    assert verify_chain().ok


def test_a_snippet_added_and_deleted_in_the_admin_is_in_the_audit_log(admin):
    add = reverse("wagtailsnippets_civic_category:add")
    response = admin.post(
        add, {"name": "Play streets", "slug": "play-streets", "colour": "#2f6f4f"}
    )
    assert response.status_code == 302
    category = Category.objects.get(slug="play-streets")
    added = AuditEntry.objects.get(action="admin.create", object_id=str(category.pk))
    assert added.summary == "category “Play streets” added in the admin"
    delete = reverse("wagtailsnippets_civic_category:delete", args=[category.pk])
    assert admin.post(delete).status_code == 302
    assert not Category.objects.filter(slug="play-streets").exists()
    gone = AuditEntry.objects.get(action="admin.delete", object_id=str(category.pk))
    assert gone.object_type == "civic.category"
    assert gone.summary == "category “Play streets” deleted in the admin"
