"""``intake review``, ``intake user`` and ``intake decisions``: the reviewer station's commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from schemas.review import Role

console = Console(stderr=True)
DataOpt = Annotated[
    Path,
    typer.Option("--data", "-d", help="Data directory (database, reports).", envvar="INTAKE_DATA"),
]

users = typer.Typer(help="Accounts of the review station.", no_args_is_help=True)


def review(
    data: DataOpt = Path("data"),
    host: Annotated[
        str, typer.Option(help="Address to listen on; keep 127.0.0.1 unless behind a TLS proxy.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8700,
    secure_cookies: Annotated[
        bool, typer.Option(help="Send the session cookie over HTTPS only (behind a TLS proxy).")
    ] = False,
) -> None:
    """Serve the review station: queue, envelopes, corrections, decisions, notices."""
    import uvicorn

    from pipeline.review_app import create_app
    from pipeline.review_store import open_review_store
    from pipeline.workdir import DataDir
    from schemas.config import load_config

    data = data.resolve()
    if not open_review_store(DataDir(data).create().db_url).users():
        console.print("[yellow]No account yet:[/] intake user add NAME --role reviewer")
    app = create_app(
        data, deadline_days=load_config().rules.deadline_days, secure_cookies=secure_cookies
    )
    console.print(f"Review station: http://{host}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


@users.command("add")
def add_user(
    username: Annotated[str, typer.Argument(help="Lower-case user name.")],
    role: Annotated[Role, typer.Option(help="mailroom, reviewer or admin.")] = Role.REVIEWER,
    data: DataOpt = Path("data"),
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account; the password is asked twice (or read from stdin) and stored hashed."""
    from pipeline.review_store import AccountError, open_review_store
    from pipeline.workdir import DataDir

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        open_review_store(DataDir(data.resolve()).create().db_url).add_user(
            username, password, role
        )
    except AccountError as e:
        console.print(f"[red]{e}[/]")
        raise typer.Exit(1) from e
    console.print(f"Account {username} ({role.value}) created.")


@users.command("list")
def list_users(data: DataOpt = Path("data")) -> None:
    """The accounts and their roles."""
    from pipeline.review_store import open_review_store
    from pipeline.workdir import DataDir

    for name, role in open_review_store(DataDir(data.resolve()).create().db_url).users():
        print(f"{name}\t{role.value}")


def decisions(
    data: DataOpt = Path("data"),
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Export the audit log of every review decision as CSV or JSON."""
    from pipeline.review_app import decisions_to_csv
    from pipeline.review_store import open_review_store
    from pipeline.workdir import DataDir, write_private

    entries = open_review_store(DataDir(data.resolve()).create().db_url).entries()
    if fmt == "json":
        text = json.dumps(
            [e.model_dump(mode="json") for e in entries], ensure_ascii=False, indent=1
        )
    elif fmt == "csv":
        text = decisions_to_csv(entries)
    else:
        console.print("[red]--format is csv or json[/]")
        raise typer.Exit(2)
    if out:
        write_private(out, text)
    else:
        sys.stdout.write(text)


def register(app: typer.Typer) -> None:
    app.command("review")(review)
    app.command("decisions")(decisions)
    app.add_typer(users, name="user")
