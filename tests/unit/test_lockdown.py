"""The project's Streamlit settings are locked down by default (README, "In a classroom")."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_server_listens_locally_with_xsrf_and_cors_protection_and_no_statistics():
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"] == {"address": "127.0.0.1", "enableXsrfProtection": True,
                                  "enableCORS": True}
    assert settings["browser"] == {"gatherUsageStats": False}


def test_the_teachers_secret_file_is_never_committed():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored
