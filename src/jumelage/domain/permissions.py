"""Who may change what: roles, operations and the scope of a municipality editor.

An administrator may do everything. A municipality editor acts for the
municipalities in their scope: their own side of links, their activities,
contacts, searches, people and applications — never another municipality's
data. An association member records activities of the links of its
municipality. The public reads. Shared facts of a link (its charter, a change
to partnership) take effect only when an editor of each side has confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

ROLES: Final = ("admin", "editor", "association")

# Operations a service checks, each with the roles that may perform it for a
# municipality in their scope. "admin" is implied everywhere.
OPERATIONS: Final[dict[str, tuple[str, ...]]] = {
    "link.propose": ("editor",),  # open a link with a partner, for one's own side
    "link.side": ("editor",),  # resolution, suspension, ending: one's own side
    "link.shared": ("editor",),  # charter, level: proposed by one side, confirmed by the other
    "activity.write": ("editor", "association"),
    "contact.write": ("editor",),
    "search.write": ("editor",),  # publish, close, accept answers
    "search.answer": ("editor",),  # answer a search for one's own municipality
    "people.write": ("editor",),  # officials, ambassadors, actors
    "programme.apply": ("editor",),  # award applications, grants, development projects
    "municipality.edit": ("editor",),
    "municipality.merge": (),
    "network.write": (),
    "award.register": (),
    "import": (),
    "user.manage": (),
    "audit.revert": (),
    "audit.accounts": (),  # read the recorded changes of accounts and their tokens
    "curation.decide": (),  # the curation queue: merges, points, names of the build
}

# Object types of the audit trail that name accounts, their roles and scopes.
ACCOUNT_OBJECTS: Final = (
    "account",
    "account_scope",
    "api_token",
    "login_attempt",
    "login_throttle",
    "web_session",
)


@dataclass(frozen=True)
class Principal:
    """Who acts: a user with a role and a scope, or the system itself."""

    name: str
    role: str  # admin, editor, association, public
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    user_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


SYSTEM = Principal("system", "admin")
PUBLIC = Principal("public", "public")


def system(name: str) -> Principal:
    """An administrator principal for the CLI, importers and the loader."""
    return Principal(name, "admin")


def can(principal: Principal, operation: str, municipality_ids: frozenset[int] | set[int]) -> bool:
    """May `principal` perform `operation` on data of these municipalities?

    For an editor or association member every municipality named must lie in
    their scope; an operation with no municipality is for administrators.
    """
    if operation not in OPERATIONS:
        raise KeyError(f"unknown operation {operation!r}")
    if principal.role == "admin":
        return True
    if principal.role not in OPERATIONS[operation]:
        return False
    return bool(municipality_ids) and set(municipality_ids) <= principal.municipality_ids


def can_for_one_of(
    principal: Principal, operation: str, municipality_ids: frozenset[int] | set[int]
) -> bool:
    """May `principal` perform `operation` for at least one of these municipalities
    (one side of a link, say)? What a page asks before it offers a form."""
    return any(can(principal, operation, {mid}) for mid in municipality_ids)
