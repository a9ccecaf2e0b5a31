"""The workbench from the command line: links, activities, contacts, searches, users."""

import datetime as dt
import json

Y1 = dt.date.today().year + 1


def test_a_link_is_founded_from_the_command_line(cli):
    proposed = cli("link", "propose", "Bonn", "Lille", "--date", f"{Y1}-01", "--json")
    assert proposed.exit_code == 0, proposed.output
    link_id = json.loads(proposed.stdout)["id"]
    for side, date in (("Bonn", f"{Y1}-02"), ("Lille", f"{Y1}-03")):
        result = cli("link", "resolve", str(link_id), "--side", side, "--date", date)
        assert result.exit_code == 0, result.output
    signed = cli(
        "link",
        "sign",
        str(link_id),
        "--date",
        f"{Y1}-04-01",
        "--signatory",
        "Mayor of Bonn",
        "--signatory",
        "Mayor of Lille",
        "--json",
    )
    assert json.loads(signed.stdout)["level"] == "partnership"
    assert cli("link", "activate", str(link_id), "--date", f"{Y1}-04-02").exit_code == 0
    added = cli(
        "activity",
        "add",
        str(link_id),
        "--kind",
        "visit",
        "--title",
        "Mayors' visit",
        "--date",
        f"{Y1}-06",
        "--planned",
    )
    assert added.exit_code == 0, added.output
    ended = cli(
        "link",
        "end",
        str(link_id),
        "--side",
        "Lille",
        "--reason",
        "budget",
        "--date",
        f"{Y1 + 1}",
        "--json",
    )
    assert json.loads(ended.stdout)["status"] == "ended"
    history = json.loads(cli("link", "history", str(link_id), "--json").stdout)
    assert [h["type"] for h in history].count("activity") == 1


def test_a_refused_step_prints_the_rule_and_exits_1(cli):
    link_id = json.loads(cli("link", "propose", "Bonn", "Lille", "--json").stdout)["id"]
    result = cli("link", "sign", str(link_id), "--signatory", "A")
    assert result.exit_code == 1
    assert "councils of both sides" in result.stderr


def test_contacts_and_searches_from_the_command_line(cli):
    assert (
        cli(
            "contact", "add", "Bonn", "--place", "Lille", "--holder", "Choir", "--kind", "club"
        ).exit_code
        == 0
    )
    report = json.loads(cli("contact", "report", "Bonn", "--json").stdout)
    assert report["places"][0]["place"]["name"] == "Lille"
    published = cli(
        "search", "publish", "Bonn", "--title", "Sports", "--expires", f"{Y1}-12", "--country", "FR"
    )
    assert published.exit_code == 0, published.output
    listed = json.loads(cli("search", "list", "--country", "FR", "--json").stdout)
    assert [s["title"] for s in listed] == ["Sports"]


def test_dormant_lists_links_without_a_recent_sign_of_life(cli):
    result = cli("dormant", "--json")
    data = json.loads(result.stdout)
    assert data["years"] == 3
    assert any(i["a"]["name"] == "Köln" and i["b"]["name"] == "Liverpool" for i in data["items"])


def test_users_and_tokens_from_the_command_line(cli, monkeypatch):
    monkeypatch.setenv("TEST_PASSWORD", "a long enough password")
    added = cli(
        "user",
        "add",
        "koeln-office",
        "--role",
        "editor",
        "-m",
        "Köln",
        "--password-env",
        "TEST_PASSWORD",
    )
    assert added.exit_code == 0, added.output
    users = json.loads(cli("user", "list", "--json").stdout)
    assert users[0]["role"] == "editor" and len(users[0]["municipality_ids"]) == 1
    token = cli("user", "token", "koeln-office", "--label", "intranet")
    assert token.stdout.strip().startswith("jml_")
    assert "1\tkoeln-office\tintranet\tactive" in cli("user", "tokens").stdout
    assert cli("user", "revoke", "1").exit_code == 0
    again = cli("user", "revoke", "1")
    assert again.exit_code == 1 and "already revoked" in again.stderr


def test_an_editor_needs_a_municipality(cli, monkeypatch):
    monkeypatch.setenv("TEST_PASSWORD", "a long enough password")
    result = cli("user", "add", "nobody", "--role", "editor", "--password-env", "TEST_PASSWORD")
    assert result.exit_code == 1
    assert "at least one municipality" in result.stderr
