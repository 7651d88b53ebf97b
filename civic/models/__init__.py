"""The civic domain's models, one module per concern: people, the place tree, the
money (bodies, categories, budgets, contributions), framework rules, roles, the audit
log and the email outbox. Everything is importable from `civic.models`."""

from .audit import GENESIS_HASH, AuditEntry
from .framework_rules import (
    BallotMethod,
    FrameworkRules,
    ShortlistMethod,
    TallyRule,
    VerificationMethod,
    VotingScope,
)
from .funding import (
    BodyKind,
    Budget,
    BudgetQuerySet,
    Category,
    CilReceipt,
    Contribution,
    ContributionKind,
    PublicBody,
)
from .outbox import Channel, Letter, OutgoingEmail, retry_grace
from .people import (
    POSTCODE_RE,
    User,
    UserManager,
    normalise_postcode,
    postcode_in_area,
)
from .places import GSS_CODE, BoundaryGeneration, Place, PlaceKind
from .roles import Role, RoleKind, RoleQuerySet

__all__ = [
    "GENESIS_HASH",
    "GSS_CODE",
    "Letter",
    "POSTCODE_RE",
    "AuditEntry",
    "BallotMethod",
    "BodyKind",
    "BoundaryGeneration",
    "Budget",
    "CilReceipt",
    "BudgetQuerySet",
    "Category",
    "Channel",
    "Contribution",
    "ContributionKind",
    "FrameworkRules",
    "OutgoingEmail",
    "Place",
    "PlaceKind",
    "PublicBody",
    "Role",
    "RoleKind",
    "RoleQuerySet",
    "ShortlistMethod",
    "TallyRule",
    "User",
    "UserManager",
    "VerificationMethod",
    "VotingScope",
    "normalise_postcode",
    "postcode_in_area",
    "retry_grace",
]
