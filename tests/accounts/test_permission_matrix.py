"""Role × operation × own/foreign object, for every write endpoint of the API.

Each case creates its own target objects (as the system) on the side that is
the editor's own (Bonn) or a foreign one (Lille, Köln), then sends the request
as each role. Allowed means the request got past authentication and
authorisation (any status but 401 and 403); the rules behind it may still
refuse it (409, 422), which is not the matter here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jumelage.app import create_app
from jumelage.services import activities, founding, links, people, writing
from jumelage.store.schema import municipality, network_membership
from jumelage.store.schema_lifecycle import activity, contact, partner_search
from jumelage.store.schema_programmes import dev_project
from tests.builders import bearer, place_id, token_for

Y1 = dt.date.today().year + 1
OWN, FOREIGN = "own", "foreign"


@dataclass
class World:
    engine: Any
    bonn: int  # the editor's and the association member's municipality
    lille: int
    koeln: int
    oxford: int

    def fresh_place(self) -> int:
        from jumelage.services.registry import PlaceFacts, ensure_municipality

        self.made = getattr(self, "made", 0) + 1
        with writing(self.engine, "setup") as w:
            place, _ = ensure_municipality(w, PlaceFacts(f"Testort {self.made}", country="FR"))
        return place

    def sides(self, whose: str) -> tuple[int, int]:
        """A new pair for each link: the editor's Bonn (or foreign Köln) and a fresh place."""
        return (self.bonn if whose == OWN else self.koeln), self.fresh_place()

    def new_link(self, whose: str, status: str = "exploring") -> int:
        a, b = self.sides(whose)
        self.last_pair = (a, b)
        with writing(self.engine, "setup") as w:
            return links.propose_link(w, a, b, "contact", f"{Y1}-01", status=status)

    def resolved_link(self, whose: str) -> int:
        link_id = self.new_link(whose)
        from jumelage.domain import lifecycle as rules

        with writing(self.engine, "setup") as w:
            for side_id in self.last_pair:
                row = links.require_link(w, link_id)
                letter = links.side_of(row, side_id)
                links.transition(w, link_id, rules.Resolve(f"{Y1}-02", letter), side_id)
        return link_id

    def active_link(self, whose: str) -> int:
        link_id = self.new_link(whose)
        from jumelage.domain import lifecycle as rules

        with writing(self.engine, "setup") as w:
            links.transition(w, link_id, rules.Activate(f"{Y1}-02"), None)
        return link_id

    def pending(self, whose: str) -> int:
        """A signing proposed by the far side, awaiting the near side's confirmation."""
        link_id = self.resolved_link(whose)
        from jumelage.domain.permissions import Principal

        other = self.last_pair[1]
        editor = Principal("setup-editor", "editor", frozenset({other}))
        with writing(self.engine, editor) as w:
            result = links.propose_shared(
                w, link_id, other, "sign", {"signed_on": f"{Y1}-03", "signatories": ["A", "B"]}
            )
        return int(result["confirmation_id"])

    def contact(self, whose: str) -> int:
        mid = self.bonn if whose == OWN else self.lille
        with writing(self.engine, "setup") as w:
            return founding.add_contact(w, mid, founding.ContactInput(self.oxford, "Choir", "club"))

    def search(self, whose: str) -> int:
        mid = self.bonn if whose == OWN else self.lille
        with writing(self.engine, "setup") as w:
            return founding.publish_search(
                w, mid, founding.SearchInput(title="Partner", expires_on=f"{Y1}-12")
            )

    def answered(self, whose: str) -> tuple[int, int]:
        search_id = self.search(whose)
        with writing(self.engine, "setup") as w:
            answer_id = founding.answer_search(w, search_id, self.oxford, "")
        return search_id, answer_id

    def activity(self, whose: str) -> int:
        link_id = self.new_link(whose)
        with writing(self.engine, "setup") as w:
            return activities.record_activity(
                w,
                link_id,
                activities.ActivityInput(
                    kind="visit", title="Visit", start_date=f"{Y1}-03", planned=True
                ),
            )

    def dev_project(self, whose: str) -> int:
        from jumelage.services import programmes

        link_id = self.new_link(whose)
        with writing(self.engine, "setup") as w:
            return programmes.add_dev_project(w, link_id, "Water supply", ["drinking_water"])

    def membership(self) -> tuple[str, int]:
        from jumelage.services import networks

        self.made = getattr(self, "made", 0) + 1
        key = f"ring-{self.made}"
        with writing(self.engine, "setup") as w:
            networks.create_network(w, key, f"Ring {self.made}", "ring")
            return key, networks.add_member(w, key, self.bonn, "2001")

    def actor(self, whose: str) -> int:
        mid = self.bonn if whose == OWN else self.koeln
        with writing(self.engine, "setup") as w:
            return people.add_actor(w, mid, "Gymnasium", "school")


Case = Callable[[World, str], tuple[str, str, dict[str, Any] | None]]


def _own(world: World, whose: str) -> int:
    return world.bonn if whose == OWN else world.lille


CASES: dict[tuple[str, str], tuple[str, Case]] = {
    # (method, route): (operation class, builder)
    ("POST", "/api/v1/links"): (
        "editor",
        lambda w, o: (
            "POST",
            "/api/v1/links",
            {"from": _own(w, o), "to": w.oxford, "date": f"{Y1}"},
        ),
    ),
    ("POST", "/api/v1/links/{link_id}/explore"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/links/{w.new_link(o, 'proposed')}/explore",
            {"date": f"{Y1}-02"},
        ),
    ),
    ("POST", "/api/v1/links/{link_id}/resolutions"): (
        "editor",
        lambda w, o: ("POST", f"/api/v1/links/{w.new_link(o)}/resolutions", {"date": f"{Y1}-02"}),
    ),
    ("POST", "/api/v1/links/{link_id}/sign"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/links/{w.resolved_link(o)}/sign",
            {"signed_on": f"{Y1}-03", "signatories": ["A", "B"]},
        ),
    ),
    ("POST", "/api/v1/links/{link_id}/charter"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/links/{w.new_link(o)}/charter",
            {"signed_on": f"{Y1}-03", "signatories": ["A", "B"]},
        ),
    ),
    ("POST", "/api/v1/links/{link_id}/level"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/links/{w.new_link(o)}/level",
            {"level": "friendship", "date": f"{Y1}-02", "reason": "r", "valid_until": f"{Y1 + 2}"},
        ),
    ),
    ("POST", "/api/v1/links/{link_id}/activate"): (
        "editor",
        lambda w, o: ("POST", f"/api/v1/links/{w.new_link(o)}/activate", {"date": f"{Y1}-02"}),
    ),
    ("POST", "/api/v1/links/{link_id}/suspend"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/links/{w.active_link(o)}/suspend",
            {"date": f"{Y1}-03", "reason": "war", "side": w.last_pair[0]},
        ),
    ),
    ("POST", "/api/v1/links/{link_id}/resume"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/links/{w.active_link(o)}/resume",
            {"date": f"{Y1}-03", "side": w.last_pair[0]},
        ),
    ),
    ("POST", "/api/v1/links/{link_id}/end"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/links/{w.new_link(o)}/end",
            {"date": f"{Y1}-03", "reason": "r", "side": w.last_pair[0]},
        ),
    ),
    ("POST", "/api/v1/confirmations/{confirmation_id}/decision"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/confirmations/{w.pending(o)}/decision",
            {"accept": True, "side": w.last_pair[0]},
        ),
    ),
    ("POST", "/api/v1/municipalities/{ref}/merge"): (
        "admin",
        lambda w, o: (
            "POST",
            f"/api/v1/municipalities/{_own(w, o)}/merge",
            {"into": w.oxford, "date": "2030"},
        ),
    ),
    ("POST", "/api/v1/municipalities/{ref}/contacts"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/municipalities/{_own(w, o)}/contacts",
            {"place": w.oxford, "holder": "h", "kind": "club"},
        ),
    ),
    ("PUT", "/api/v1/contacts/{contact_id}"): (
        "editor",
        lambda w, o: (
            "PUT",
            f"/api/v1/contacts/{w.contact(o)}",
            {"place": w.oxford, "holder": "h2", "kind": "club"},
        ),
    ),
    ("DELETE", "/api/v1/contacts/{contact_id}"): (
        "editor",
        lambda w, o: ("DELETE", f"/api/v1/contacts/{w.contact(o)}", None),
    ),
    ("POST", "/api/v1/municipalities/{ref}/searches"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/municipalities/{_own(w, o)}/searches",
            {"title": "t", "expires_on": f"{Y1}-12"},
        ),
    ),
    ("PUT", "/api/v1/searches/{search_id}"): (
        "editor",
        lambda w, o: (
            "PUT",
            f"/api/v1/searches/{w.search(o)}",
            {"title": "t2", "expires_on": f"{Y1}-12"},
        ),
    ),
    ("POST", "/api/v1/searches/{search_id}/close"): (
        "editor",
        lambda w, o: ("POST", f"/api/v1/searches/{w.search(o)}/close", None),
    ),
    ("POST", "/api/v1/searches/{search_id}/answers"): (
        "editor",
        # Answering is done for one's own municipality, to another's search.
        lambda w, o: (
            "POST",
            f"/api/v1/searches/{w.search(FOREIGN if o == OWN else OWN)}/answers",
            {"municipality": _own(w, o)},
        ),
    ),
    ("POST", "/api/v1/searches/{search_id}/answers/{answer_id}/accept"): (
        "editor",
        lambda w, o: ("POST", "/api/v1/searches/{}/answers/{}/accept".format(*w.answered(o)), {}),
    ),
    ("POST", "/api/v1/searches/{search_id}/answers/{answer_id}/decline"): (
        "editor",
        lambda w, o: (
            "POST",
            "/api/v1/searches/{}/answers/{}/decline".format(*w.answered(o)),
            None,
        ),
    ),
    ("POST", "/api/v1/links/{link_id}/activities"): (
        "association",
        lambda w, o: (
            "POST",
            f"/api/v1/links/{w.new_link(o)}/activities",
            {"kind": "visit", "title": "t", "start_date": f"{Y1}-03", "planned": True},
        ),
    ),
    ("PUT", "/api/v1/activities/{activity_id}"): (
        "association",
        lambda w, o: (
            "PUT",
            f"/api/v1/activities/{w.activity(o)}",
            {"kind": "visit", "title": "t2", "start_date": f"{Y1}-03", "planned": True},
        ),
    ),
    ("DELETE", "/api/v1/activities/{activity_id}"): (
        "association",
        lambda w, o: ("DELETE", f"/api/v1/activities/{w.activity(o)}", None),
    ),
    ("POST", "/api/v1/municipalities/{ref}/officials"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/municipalities/{_own(w, o)}/officials",
            {"person": "p", "role": "mayor"},
        ),
    ),
    ("POST", "/api/v1/ambassadors"): (
        "editor",
        lambda w, o: (
            "POST",
            "/api/v1/ambassadors",
            {
                "person": "p",
                "home": _own(w, o) if o == OWN else w.koeln,
                "host": w.oxford,
                "term_start": "2025",
            },
        ),
    ),
    ("POST", "/api/v1/municipalities/{ref}/actors"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/municipalities/{_own(w, o)}/actors",
            {"name": "n", "kind": "school"},
        ),
    ),
    ("POST", "/api/v1/links/{link_id}/actors"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/links/{w.new_link(o)}/actors",
            {"actor_id": w.actor(o), "role": "r"},
        ),
    ),
    ("PATCH", "/api/v1/municipalities/{ref}"): (
        "editor",
        lambda w, o: ("PATCH", f"/api/v1/municipalities/{_own(w, o)}", {"population": 300000}),
    ),
    ("POST", "/api/v1/awards"): (
        "admin",
        lambda w, o: (
            "POST",
            "/api/v1/awards",
            {"municipality": str(_own(w, o)), "level": "diploma", "year": 2001},
        ),
    ),
    ("POST", "/api/v1/municipalities/{ref}/award-applications"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/municipalities/{_own(w, o)}/award-applications",
            {"level": "diploma"},
        ),
    ),
    ("POST", "/api/v1/programmes/{key}/check"): (
        "public",
        lambda w, o: (
            "POST",
            "/api/v1/programmes/cerv-town-twinning/check",
            {"applicant_country": "DE", "partner_countries": ["FR"], "participants": 60},
        ),
    ),
    ("POST", "/api/v1/grants"): (
        "editor",
        lambda w, o: (
            "POST",
            "/api/v1/grants",
            {
                "programme": "cerv-town-twinning",
                "municipality": str(w.sides(o)[0]),
                "link_id": w.new_link(o),
                "amount": 20000,
                "year": 2025,
            },
        ),
    ),
    ("POST", "/api/v1/dev-projects"): (
        "editor",
        lambda w, o: (
            "POST",
            "/api/v1/dev-projects",
            {"link_id": w.new_link(o), "title": "Wells", "themes": ["drinking_water"]},
        ),
    ),
    ("PATCH", "/api/v1/dev-projects/{project_id}"): (
        "editor",
        lambda w, o: ("PATCH", f"/api/v1/dev-projects/{w.dev_project(o)}", {"budget": 1000}),
    ),
    ("POST", "/api/v1/dev-projects/{project_id}/companies"): (
        "editor",
        lambda w, o: (
            "POST",
            f"/api/v1/dev-projects/{w.dev_project(o)}/companies",
            {"role": "pumps", "name": "Pumpen GmbH", "municipality": str(w.sides(o)[0])},
        ),
    ),
    ("POST", "/api/v1/networks"): (
        "admin",
        lambda w, o: (
            "POST",
            "/api/v1/networks",
            {"key": f"r{id(o)}-{w.fresh_place()}", "name": "R", "kind": "ring"},
        ),
    ),
    ("POST", "/api/v1/networks/{key}/members"): (
        "admin",
        lambda w, o: (
            "POST",
            f"/api/v1/networks/{w.membership()[0]}/members",
            {"municipality": str(_own(w, o))},
        ),
    ),
    ("PATCH", "/api/v1/networks/{key}/members/{membership_id}"): (
        "admin",
        lambda w, o: (
            "PATCH",
            "/api/v1/networks/{}/members/{}".format(*w.membership()),
            {"left_on": "2020"},
        ),
    ),
    ("POST", "/api/v1/audit/{audit_id}/revert"): (
        "admin",
        lambda w, o: ("POST", f"/api/v1/audit/{_last_audit(w)}/revert", None),
    ),
    ("POST", "/api/v1/curation/{item_id}/decision"): (
        "admin",
        lambda w, o: (
            "POST",
            f"/api/v1/curation/{_curation_item(w)}/decision",
            {"decision": "keep_name"},
        ),
    ),
}


def _curation_item(world: World) -> int:
    """An open item naming a place no registry holds: its decision changes no data."""
    from sqlalchemy import func, select

    from jumelage.services.curation import add_items
    from jumelage.store.schema_curation import curation_item

    world.made = getattr(world, "made", 0) + 1
    key = f"unlabelled:Q99999999{world.made}"
    with writing(world.engine, "setup") as w:
        add_items(w, [{"key": key, "kind": "unlabelled", "places": [key[11:]]}], "build")
    with world.engine.connect() as conn:
        return int(conn.execute(select(func.max(curation_item.c.id))).scalar())


def _last_audit(world: World) -> int:
    from sqlalchemy import func, select

    from jumelage.store.schema import audit_log

    world.contact(OWN)
    with world.engine.connect() as conn:
        return int(conn.execute(select(func.max(audit_log.c.id))).scalar())


ROLES = ("public", "association", "editor", "admin")


def _allowed(operation_class: str, role: str, whose: str) -> bool:
    if role == "admin" or operation_class == "public":
        return True
    if role == "public" or whose == FOREIGN:
        return False
    if operation_class == "admin":
        return False
    return operation_class == "association" or role == "editor"


@pytest.fixture
def world(registry):
    engine = registry.engine
    return World(
        engine,
        bonn=place_id(engine, "Q586"),
        lille=place_id(engine, "Q648"),
        koeln=place_id(engine, "Q365"),
        oxford=place_id(engine, "Q34217"),
    )


@pytest.fixture
def tokens(world):
    return {
        "association": bearer(token_for(world.engine, "verein", "association", [world.bonn])),
        "editor": bearer(token_for(world.engine, "bonn-office", "editor", [world.bonn])),
        "admin": bearer(token_for(world.engine, "umbrella", "admin", [])),
        "public": {},
    }


def test_every_write_endpoint_is_in_the_permission_matrix(registry):
    paths = create_app(registry).openapi()["paths"]
    writes = {
        (method.upper(), path)
        for path, operations in paths.items()
        for method in operations
        if method.upper() in ("POST", "PUT", "PATCH", "DELETE")
    }
    assert len(writes) >= 30  # the schema really lists the write endpoints
    missing = sorted(writes - set(CASES))
    assert missing == [], f"write endpoints without a permission case: {missing}"


# The table behind each edited path, to send the current version as If-Match.
VERSIONED = {
    "contacts": contact,
    "searches": partner_search,
    "activities": activity,
    "municipalities": municipality,
    "dev-projects": dev_project,
    "networks": network_membership,
}


def _if_match(engine: Any, verb: str, url: str) -> dict[str, str]:
    parts = url.split("/")
    table = VERSIONED.get(parts[3]) if verb in ("PUT", "PATCH", "DELETE") else None
    if table is None:
        return {}
    row_id = int(parts[6] if parts[3] == "networks" else parts[4])  # .../members/{id}
    with engine.connect() as conn:
        version = conn.execute(select(table.c.version).where(table.c.id == row_id))
        return {"If-Match": f'"{version.scalar_one()}"'}


@pytest.mark.parametrize("whose", [OWN, FOREIGN])
def test_each_role_may_do_exactly_what_its_permissions_say(registry, world, tokens, whose):
    outcomes = []
    with TestClient(create_app(registry)) as client:
        for (method, route), (operation_class, build) in CASES.items():
            for role in ROLES:
                verb, url, body = build(world, whose)
                headers = {**tokens[role], **_if_match(registry.engine, verb, url)}
                response = client.request(verb, url, json=body, headers=headers)
                allowed = response.status_code not in (401, 403)
                assert response.status_code < 500, (method, route, role, response.text)
                outcomes.append(
                    (
                        method,
                        route,
                        role,
                        allowed,
                        _allowed(operation_class, role, whose),
                        response.text[:120],
                    )
                )
    wrong = [o for o in outcomes if o[3] != o[4]]
    assert wrong == [], "\n".join(map(str, wrong))
