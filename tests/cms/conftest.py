import pytest
from wagtail.models import Page, Site

from cms.models import HomePage


@pytest.fixture
def home_page(db):
    """The site's home page in place of Wagtail's "Welcome" page, as a new site has it
    once an editor makes one."""
    Page.objects.filter(depth=2, slug="home").delete()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Our budget", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home
