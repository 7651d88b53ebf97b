"""Back-office template tags."""

from django import template

register = template.Library()


def edits_pages(user) -> bool:
    """Whether someone edits the site's pages (a superuser, or a member of a group with
    page permissions): organisers and councillors, who edit none, are offered neither
    the page explorer nor the page search."""
    from wagtail.models import GroupPagePermission

    return (
        user.is_superuser
        or GroupPagePermission.objects.filter(group__user=user).exists()
    )


@register.simple_tag(takes_context=True, name="edits_pages")
def edits_pages_tag(context) -> bool:
    return edits_pages(context["request"].user)
