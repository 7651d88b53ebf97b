"""Permissions for the site's pages and settings (see civic/permissions.py)."""

from civic.permissions import OFFICER, declare

# The council's details (named by the privacy notice and accessibility statement):
# only an officer of a top place of the tree, the council itself.
declare("cms.change_councildetails", roles=[OFFICER], on_top_place=True)
