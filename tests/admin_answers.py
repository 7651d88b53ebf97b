"""The Wagtail admin's two ways of saying no, asserted exactly.

Someone with no admin access (a resident) is sent to the admin's sign-in page; staff
who may use the admin but not this view are sent to the dashboard, where Wagtail
shows "Sorry, you do not have permission to access this area"."""

from urllib.parse import quote


def sent_to_admin_sign_in(response, path: str) -> None:
    assert (response.status_code, response["Location"]) == (
        302,
        f"/admin/login/?next={quote(path)}",
    )


def refused_by_the_admin(response) -> None:
    assert (response.status_code, response["Location"]) == (302, "/admin/")
