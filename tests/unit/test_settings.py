from pathlib import Path

import pytest

from jumelage.settings import SettingsError, load_settings


def test_defaults_give_a_local_sqlite_file_in_the_data_dir(tmp_path):
    settings = load_settings({"JUMELAGE_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'jumelage.sqlite3'}"
    assert settings.port == 8000
    assert settings.dormant_years == 3


def test_a_data_dir_follows_xdg_data_home_when_unset(tmp_path):
    settings = load_settings({"XDG_DATA_HOME": str(tmp_path)})
    assert settings.data_dir == Path(tmp_path) / "jumelage"


def test_a_plain_postgresql_url_uses_the_psycopg_driver():
    settings = load_settings({"JUMELAGE_DATABASE_URL": "postgresql://u@db/jumelage"})
    assert settings.database_url.startswith("postgresql+psycopg://")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("JUMELAGE_PORT", "eighty", "JUMELAGE_PORT='eighty' is not a whole number"),
        ("JUMELAGE_PORT", "70000", "JUMELAGE_PORT=70000 is outside 1..65535"),
        ("JUMELAGE_DATABASE_URL", "mysql://x/y", "jumelage supports sqlite and postgresql"),
        ("JUMELAGE_DATABASE_URL", "not a url", "is not a database URL"),
        ("JUMELAGE_SECURE_COOKIES", "maybe", "is not a boolean"),
        ("JUMELAGE_LOG_LEVEL", "loud", "JUMELAGE_LOG_LEVEL='loud'"),
    ],
)
def test_a_bad_setting_fails_with_a_message_naming_the_variable(name, value, message):
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings({name: value})


def test_the_warm_up_is_on_unless_switched_off(tmp_path):
    base = {"JUMELAGE_DATA_DIR": str(tmp_path)}
    assert load_settings(base).warm_up is True
    assert load_settings({**base, "JUMELAGE_WARM_UP": "0"}).warm_up is False
    with pytest.raises(SettingsError, match="JUMELAGE_WARM_UP='maybe' is not a boolean"):
        load_settings({**base, "JUMELAGE_WARM_UP": "maybe"})


def test_jumelage_threads_is_a_count_or_left_to_the_database(tmp_path):
    base = {"JUMELAGE_DATA_DIR": str(tmp_path)}
    assert load_settings(base).threads is None
    assert load_settings({**base, "JUMELAGE_THREADS": "6"}).threads == 6
    with pytest.raises(SettingsError, match="JUMELAGE_THREADS"):
        load_settings({**base, "JUMELAGE_THREADS": "-1"})
