import pytest
from typer.testing import CliRunner

from jumelage.cli import app


class Cli:
    def __init__(self, url: str) -> None:
        self.runner = CliRunner()
        self.env = {"JUMELAGE_DATABASE_URL": url}

    def __call__(self, *args: str):
        return self.runner.invoke(app, list(args), env=self.env)


@pytest.fixture
def cli(registry):
    return Cli(registry.settings.database_url)


@pytest.fixture
def empty_cli(engine):
    return Cli(engine.url.render_as_string(hide_password=False))
