"""The project's .streamlit/config.toml: the server a class meets is locked down by default."""
import base64
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_requests_from_other_sites_are_refused():
    server = settings()["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True


def test_nothing_leaves_the_room_and_students_get_no_developer_menu():
    config = settings()
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["toolbarMode"] == "viewer"


def test_a_plain_start_listens_on_this_computer_only_and_make_class_on_the_lan():
    assert settings()["server"]["address"] == "localhost"
    makefile = (ROOT / "Makefile").read_text()
    class_target = makefile.split("\nclass:", 1)[1].split("\n\n", 1)[0]
    assert "--server.address 0.0.0.0" in class_target


def test_the_teachers_secret_file_is_never_committed():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored


def test_no_full_garbage_collection_after_every_rerun():
    """It was three quarters of a live panel's redraw, thirty a second for a class
    (bench/classroom.py)."""
    assert settings()["runner"]["postScriptGC"] is False


def test_the_tab_icon_is_inline_so_the_browser_fetches_nothing_for_it():
    from rnnlab.ui.frame import PAGE_ICON

    kind, data = PAGE_ICON.split(",", 1)
    assert kind == "data:image/svg+xml;base64"
    assert base64.b64decode(data).decode().startswith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    assert "frame.PAGE_ICON" in (ROOT / "app.py").read_text()
