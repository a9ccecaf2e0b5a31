"""Commands for accounts and API tokens (`jumelage user ...`)."""

from __future__ import annotations

import getpass
import os

import orjson
import typer

from jumelage.cli.common import app, fail, handles_errors, open_cli_registry

user_app = typer.Typer(help="Accounts with roles, and their API tokens.")
app.add_typer(user_app, name="user")


@user_app.command("add")
@handles_errors
def user_add(
    username: str,
    role: str = typer.Option(..., help="admin, editor or association."),
    municipality: list[str] = typer.Option(
        [], "--municipality", "-m", help="A municipality the user acts for (repeatable)."
    ),
    name: str = typer.Option(None, help="Display name."),
    password_env: str = typer.Option(
        None, help="Read the password from this environment variable instead of a prompt."
    ),
    actor: str = typer.Option("cli", "--actor", help="Who acts (audit trail)."),
) -> None:
    """Create an account. The password is asked for (or read from --password-env)."""
    from jumelage.cli.core import find_one
    from jumelage.services import accounts, writing

    registry = open_cli_registry(needs_data=False)
    password = _new_password(password_env)
    if municipality:
        # Scoped to places: those must be in the registry.
        registry = open_cli_registry()
    ids = [find_one(registry, m, None) for m in municipality]
    with writing(registry.engine, actor) as w:
        user_id = accounts.add_user(w, username, password, role, ids, name)
    typer.echo(f"user {username} ({role}) created with id {user_id}")


def _new_password(password_env: str | None) -> str:
    if password_env:
        password = os.environ.get(password_env)
        if not password:
            fail(f"environment variable {password_env} is empty or unset", 2)
        return str(password)
    password = getpass.getpass("password: ")
    if password != getpass.getpass("again: "):
        fail("the passwords differ", 2)
    return password


@user_app.command("password")
@handles_errors
def user_password(
    username: str,
    password_env: str = typer.Option(
        None, help="Read the password from this environment variable instead of a prompt."
    ),
    actor: str = typer.Option("cli", "--actor", help="Who acts (audit trail)."),
) -> None:
    """Set a new password. Every signed-in session of the account ends."""
    from jumelage.services import accounts, writing

    registry = open_cli_registry(needs_data=False)
    password = _new_password(password_env)
    with writing(registry.engine, actor) as w:
        accounts.set_password(w, username, password)
    typer.echo(f"password of {username} changed; its sessions ended")


@user_app.command("list")
@handles_errors
def user_list(json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List accounts with their roles and municipalities."""
    from jumelage.services import accounts

    registry = open_cli_registry(needs_data=False)
    with registry.engine.connect() as conn:
        users = accounts.list_users(conn)
    if json:
        typer.echo(orjson.dumps([u.to_dict() for u in users]).decode())
        return
    for u in users:
        scope = ",".join(map(str, u.municipality_ids)) or "-"
        state = "" if u.active else " (inactive)"
        typer.echo(f"{u.username}\t{u.role}\t{scope}{state}")


@user_app.command("token")
@handles_errors
def user_token(
    username: str,
    label: str = typer.Option(..., help="What the token is for."),
    actor: str = typer.Option("cli", "--actor", help="Who acts (audit trail)."),
) -> None:
    """Create an API token for a user. It is printed once; only its hash is stored."""
    from jumelage.services import accounts, writing

    registry = open_cli_registry(needs_data=False)
    with writing(registry.engine, actor) as w:
        token_id, token = accounts.create_token(w, username, label)
    typer.echo(token)
    typer.echo(f"token {token_id} created; keep it now, it is not shown again", err=True)


@user_app.command("tokens")
@handles_errors
def user_tokens(username: str = typer.Argument(None, help="Only this user's tokens.")) -> None:
    """List API tokens (ids, labels, whether revoked)."""
    from jumelage.services import accounts

    registry = open_cli_registry(needs_data=False)
    with registry.engine.connect() as conn:
        for t in accounts.list_tokens(conn, username):
            state = "revoked" if t["revoked"] else "active"
            typer.echo(f"{t['id']}\t{t['username']}\t{t['label']}\t{state}")


@user_app.command("revoke")
@handles_errors
def user_revoke(
    token_id: int, actor: str = typer.Option("cli", "--actor", help="Who acts (audit trail).")
) -> None:
    """Revoke an API token by its id."""
    from jumelage.services import accounts, writing

    registry = open_cli_registry(needs_data=False)
    with writing(registry.engine, actor) as w:
        accounts.revoke_token(w, token_id)
    typer.echo(f"token {token_id} revoked")


@user_app.command("disable")
@handles_errors
def user_disable(
    username: str, actor: str = typer.Option("cli", "--actor", help="Who acts (audit trail).")
) -> None:
    """Disable an account (its tokens and sessions stop working; nothing is deleted)."""
    from jumelage.services import accounts, writing

    registry = open_cli_registry(needs_data=False)
    with writing(registry.engine, actor) as w:
        accounts.set_active(w, username, False)
    typer.echo(f"user {username} disabled")
