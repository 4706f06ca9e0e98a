"""Presenter mode under AppTest: the link's settings, the sidebar switch, and a page switch."""
import json

from rnnlab.plots.theme import PRESENTER, ROOM
from tests.app.conftest import open_page


def tick_sizes(app) -> set[int]:
    """The tick font size of every axis of every chart the page drew."""
    sizes = set()
    for chart in app.get("plotly_chart"):
        layout = json.loads(chart.proto.spec)["layout"]
        sizes |= {axis["tickfont"]["size"] for key, axis in layout.items()
                  if key.startswith(("xaxis", "yaxis"))}
    return sizes


def styles(app) -> str:
    return " ".join(element.proto.body for element in app.get("html"))


def test_charts_are_drawn_at_the_rooms_sizes_without_presenter_mode(seeded):
    app = open_page("train", {"run": str(seeded["done"])})
    assert not app.exception
    assert tick_sizes(app) == {ROOM.tick}
    assert "stSidebar" not in styles(app)
    assert app.sidebar.toggle[0].label == "Presenter mode" and not app.sidebar.toggle[0].value


def test_present_in_the_link_draws_every_chart_larger_and_turns_the_switch_on(seeded):
    app = open_page("train", {"run": str(seeded["done"]), "present": "1"})
    assert not app.exception
    assert tick_sizes(app) == {PRESENTER.tick}
    assert app.sidebar.toggle[0].value


def test_the_switch_turns_presenter_mode_on_and_writes_it_into_the_link(seeded):
    app = open_page("train", {"run": str(seeded["done"])})
    app.sidebar.toggle[0].set_value(True).run()
    assert tick_sizes(app) == {PRESENTER.tick}
    assert app.query_params["present"] == "1"
    app.sidebar.toggle[0].set_value(False).run()
    assert tick_sizes(app) == {ROOM.tick}
    assert "present" not in app.query_params


def test_hide_parameters_hide_the_sidebar_the_toolbar_and_the_intro(seeded):
    app = open_page("race", {"sidebar_hide": "1", "settings_hide": "1", "intro_hide": "1"})
    assert not app.exception
    css = styles(app)
    assert '[data-testid="stSidebar"]' in css and '[data-testid="stToolbar"]' in css
    assert not any("One click trains" in block.value for block in app.markdown)
    assert not app.expander  # no "Show the code"


def test_the_settings_follow_the_tab_to_the_next_page(seeded):
    app = open_page("race", {"present": "1", "sidebar_hide": "1"})
    for key in ("present", "sidebar_hide"):
        del app.query_params[key]  # as Streamlit clears the link on a page switch
    app.switch_page("pages/build.py").run()
    assert not app.exception
    assert app.query_params["present"] == "1" and app.query_params["sidebar_hide"] == "1"
    assert '[data-testid="stSidebar"]' in styles(app)
    assert any("Show the code" in e.label for e in app.expander)  # intro_hide was not asked for
