"""The Build page under AppTest: widgets from the URL, an instant summary, the config back in the URL.

Plotly charts are UnknownElement under AppTest, so these tests read the summary table (markdown),
the total-parameters metric, the notes, the errors and the generated code.
"""
from rnnlab.config import LayerConfig, RunConfig, TextOptions, WeatherOptions
from rnnlab.network.codegen import keras_code
from rnnlab.network.summary import summarize, total_params
from tests.app.conftest import open_page


def summary_rows(app) -> dict[str, list[str]]:
    """The summary table's body rows, keyed by the layer name ("lstm_1")."""
    for block in app.markdown:
        lines = block.value.splitlines()
        if lines and lines[0].startswith("| layer (type) |"):
            rows = [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]
            return {row[0].split(" (")[0]: row for row in rows}
    raise AssertionError("no summary table on the page")


def total(app) -> str:
    (metric,) = [m for m in app.metric if m.label == "Total parameters"]
    return metric.value


def url_config(app) -> RunConfig:
    return RunConfig.from_query(dict(app.query_params))


def shown_code(app) -> str:
    (code,) = [c.value for c in app.code if "from keras import layers" in c.value]
    return code


def notes(app) -> str:
    return "\n".join(info.value for info in app.info)


def test_renders_the_textbook_model_from_a_fresh_store():
    app = open_page("build")
    assert not app.exception, app.exception
    assert app.title[0].value == "Build"
    assert total(app) == "328,353"
    rows = summary_rows(app)
    assert list(rows) == ["embedding", "lstm_1", "sentiment"]
    assert rows["lstm_1"][1:4] == ["(None, 32)", "**8,320** = 4 × (32 × (32 + 32) + 32)",
                                   "4 × (U × (F + U) + U)"]
    assert rows["embedding"][1] == "(None, 500, 32)"
    assert shown_code(app) == keras_code(RunConfig()).rstrip()
    assert app.code[-1].value.startswith('"""Build:')  # the page's own source comes last
    assert not app.error and not app.info  # one layer, no dropout: nothing to warn about


def test_changing_units_updates_the_total_the_table_and_the_url():
    app = open_page("build")
    app.number_input(key="build_l1_units").set_value(64).run()
    expected = RunConfig(layers=(LayerConfig(units=64),))
    assert total(app) == f"{total_params(summarize(expected)):,}" == "344,897"
    assert summary_rows(app)["lstm_1"][2].startswith("**24,832** = 4 × (64 × (32 + 64) + 64)")
    assert url_config(app) == expected
    assert app.number_input(key="build_l1_units").value == 64
    assert shown_code(app) == keras_code(expected).rstrip()


def test_changing_the_cell_changes_the_formula():
    app = open_page("build")
    app.selectbox(key="build_l1_cell").select("GRU").run()
    row = summary_rows(app)["gru_1"]
    assert row[0] == "gru_1 (GRU)" and row[3] == "3 × (U × (F + U) + 2 × U)"
    assert row[2] == "**6,336** = 3 × (32 × (32 + 32) + 2 × 32)"
    assert url_config(app).layers[0].cell == "GRU"
    assert 'layers.GRU(32, activation="tanh"' in shown_code(app)


def test_depth_three_shows_three_layers_and_forces_the_inner_ones_to_return_sequences():
    app = open_page("build")
    app.slider(key="build_depth").set_value(3).run()
    assert not app.exception
    rows = summary_rows(app)
    assert list(rows) == ["embedding", "lstm_1", "lstm_2", "lstm_3", "sentiment"]
    assert [rows[f"lstm_{i}"][1] for i in (1, 2, 3)] == [
        "(None, 500, 32)", "(None, 500, 32)", "(None, 32)"]
    for index in (1, 2):
        box = app.checkbox(key=f"build_l{index}_return_sequences")
        assert box.value is True and box.disabled
        assert f"layer {index + 1} reads one vector per timestep" in box.help
    top = app.checkbox(key="build_l3_return_sequences")
    assert top.value is False and not top.disabled
    assert [app.selectbox(key=f"build_l{i}_cell").value for i in (1, 2, 3)] == ["LSTM"] * 3
    config = url_config(app)
    assert config == RunConfig(layers=(LayerConfig(return_sequences=True),) * 2 + (LayerConfig(),))
    assert "Layer 1 returns its whole sequence because layer 2 reads one vector" in notes(app)
    app.slider(key="build_depth").set_value(1).run()
    assert url_config(app) == RunConfig()  # back to where it started


def test_top_layer_returning_sequences_adds_pooling_and_says_why():
    app = open_page("build")
    app.checkbox(key="build_l1_return_sequences").check().run()
    rows = summary_rows(app)
    assert list(rows) == ["embedding", "lstm_1", "average_over_time", "sentiment"]
    assert rows["lstm_1"][1] == "(None, 500, 32)" and rows["average_over_time"][1] == "(None, 32)"
    assert "a pooling layer averages it over time" in notes(app)
    assert "GlobalAveragePooling1D" in shown_code(app)


def test_a_shared_link_reproduces_the_widgets():
    config = RunConfig(
        dataset="weather", weather=WeatherOptions(source="jena", lookback_hours=48),
        layers=(LayerConfig(cell="GRU", units=48, activation="relu", dropout=0.25,
                            recurrent_dropout=0.1, bidirectional=True),
                LayerConfig(cell="SimpleRNN", units=8, return_sequences=True)))
    app = open_page("build", config.to_query())
    assert not app.exception
    assert app.radio(key="build_dataset").value == "weather"
    assert app.slider(key="build_depth").value == 2
    first = {
        "cell": app.selectbox(key="build_l1_cell").value,
        "units": app.number_input(key="build_l1_units").value,
        "activation": app.selectbox(key="build_l1_activation").value,
        "dropout": app.slider(key="build_l1_dropout").value,
        "recurrent_dropout": app.slider(key="build_l1_recurrent_dropout").value,
        "bidirectional": app.checkbox(key="build_l1_bidirectional").value,
        "return_sequences": app.checkbox(key="build_l1_return_sequences").value,
    }
    assert first == dict(cell="GRU", units=48, activation="relu", dropout=0.25,
                         recurrent_dropout=0.1, bidirectional=True, return_sequences=True)
    assert app.selectbox(key="build_l2_cell").value == "SimpleRNN"
    assert app.checkbox(key="build_l2_return_sequences").value is True
    assert total(app) == f"{total_params(summarize(config)):,}"
    assert url_config(app) == config
    assert not [w for w in app.number_input if w.key == "build_embedding_dim"]  # weather: none


def test_a_new_link_wins_over_what_the_widgets_held():
    app = open_page("build")
    app.number_input(key="build_l1_units").set_value(64).run()
    shared = RunConfig(layers=(LayerConfig(cell="GRU", units=12),))
    app.query_params.clear()
    for key, value in shared.to_query().items():
        app.query_params[key] = value
    app.run()
    assert app.number_input(key="build_l1_units").value == 12
    assert app.selectbox(key="build_l1_cell").value == "GRU"
    assert url_config(app) == shared


def test_an_invalid_link_value_shows_the_reason_and_no_traceback():
    app = open_page("build", {"layers": "1", "l1_units": "0"})
    assert not app.exception
    (error,) = app.error
    assert "Layer 1 units is 0, but it must be a whole number from 1 to 1,024" in error.value
    assert total(app) == "328,353"  # the defaults are shown instead


def test_recurrent_dropout_shows_the_fast_path_note():
    app = open_page("build")
    assert "fast fused kernel" not in notes(app)
    app.slider(key="build_l1_recurrent_dropout").set_value(0.2).run()
    assert "leaves Keras's fast fused kernel (cuDNN on a GPU)" in notes(app)
    assert url_config(app).layers[0].recurrent_dropout == 0.2
    assert "recurrent_dropout=0.2" in shown_code(app)


def test_switching_dataset_and_embedding_size():
    app = open_page("build")
    app.number_input(key="build_embedding_dim").set_value(16).run()
    assert summary_rows(app)["embedding"][1] == "(None, 500, 16)"
    assert url_config(app).imdb.embedding_dim == 16
    app.radio(key="build_dataset").set_value("weather").run()
    rows = summary_rows(app)
    assert list(rows) == ["lstm_1", "forecast"]
    assert rows["lstm_1"][2].startswith("**5,248** = 4 × (32 × (8 + 32) + 32)")  # 8 measurements
    assert url_config(app).dataset == "weather"
    assert not [w for w in app.number_input if w.key == "build_embedding_dim"]


def test_bidirectional_doubles_the_width():
    app = open_page("build")
    app.checkbox(key="build_l1_bidirectional").check().run()
    row = summary_rows(app)["bidirectional_lstm_1"]
    assert row[1] == "(None, 64)" and row[2].startswith("**16,640** = 2 × (4 ×")
    assert url_config(app).layers[0].bidirectional


def test_the_memory_task_reads_two_numbers_per_step_into_its_own_head():
    app = open_page("build")
    app.radio(key="build_dataset").set_value("memory").run()
    assert not app.exception
    assert url_config(app).dataset == "memory"
    rows = summary_rows(app)
    assert list(rows) == ["lstm_1", "sum_over_one"]
    assert rows["lstm_1"][2].startswith("**4,480** = 4 × (32 × (2 + 32) + 32)")
    assert "marked values add up to more than 1" in rows["sum_over_one"][4]
    assert total(app) == "4,513"
    assert any(block.value.startswith("**Input:** sequences of 50 steps of two numbers")
               for block in app.markdown)
    assert shown_code(app) == keras_code(url_config(app)).rstrip()
    assert not [w for w in app.number_input if w.key == "build_embedding_dim"]
    # A shared link with a memory model opens on it, its length included.
    app = open_page("build", {"dataset": "memory", "sequence_length": "80", "l1_cell": "GRU"})
    assert app.radio(key="build_dataset").value == "memory"
    assert summary_rows(app)["gru_1"][1] == "(None, 32)"
    assert any("sequences of 80 steps" in block.value for block in app.markdown)


def test_dense_is_offered_after_the_cells_and_switches_the_whole_stack():
    app = open_page("build", {"layers": "2", "l1_bidirectional": "1", "l2_cell": "GRU"})
    cells = app.selectbox(key="build_l1_cell")
    assert list(cells.options)[-1] == "Dense (no memory)"
    assert "**Dense (no memory)**: a densely connected layer" in cells.help
    cells.select("Dense").run()
    assert not app.exception and not app.error
    config = url_config(app)
    assert [layer.cell for layer in config.layers] == ["Dense", "Dense"]
    assert config.label() == "imdb: Dense(32) > Dense(32)"
    rows = summary_rows(app)
    assert list(rows) == ["embedding", "average_over_words", "dense_1", "dense_2", "sentiment"]
    assert rows["average_over_words"][1] == "(None, 32)" and "bag of words" in rows[
        "average_over_words"][4]
    assert rows["dense_1"][1:4] == ["(None, 32)", "**1,056** = 32 × 32 + 32", "F × U + U"]
    assert total(app) == f"{total_params(summarize(config)):,}" == "322,145"
    assert shown_code(app) == keras_code(config).rstrip()
    assert app.slider(key="build_depth").label == "Dense layers"
    for index in (1, 2):  # what a dense layer does not have is off, and says why
        for name in ("bidirectional", "return_sequences"):
            box = app.checkbox(key=f"build_l{index}_{name}")
            assert box.value is False and box.disabled and "a dense layer reads" in box.help
        slider = app.slider(key=f"build_l{index}_recurrent_dropout")
        assert slider.value == 0.0 and slider.disabled and "no previous state" in slider.help
    assert "do not apply to a dense layer" in notes(app)
    app.selectbox(key="build_l2_cell").select("GRU").run()  # back: the whole stack is GRU
    assert [layer.cell for layer in url_config(app).layers] == ["GRU", "GRU"]
    assert not app.checkbox(key="build_l1_bidirectional").disabled


def test_the_books_dense_weather_model_flattens_the_window():
    app = open_page("build", {"dataset": "weather", "l1_cell": "Dense", "l1_activation": "relu",
                              "l1_dropout": "0.25"})
    assert not app.exception and not app.error
    config = url_config(app)
    spec_numbers = config.weather.lookback_hours // config.weather.step_hours
    rows = summary_rows(app)
    assert list(rows) == ["flatten", "dense_1", "dropout_1", "forecast"]
    width = int(rows["flatten"][1].strip("()").split(", ")[1])
    assert width % spec_numbers == 0  # steps x features, side by side
    assert rows["flatten"][2] == "**0**" and "which came first" in rows["flatten"][4]
    assert rows["dense_1"][2] == f"**{width * 32 + 32:,}** = {width} × 32 + 32"
    assert rows["dropout_1"][2] == "**0**"
    assert 'layers.Flatten(name="flatten")' in shown_code(app)
    assert total(app) == f"{total_params(summarize(config)):,}"


def test_the_language_model_names_its_shapes_and_shows_its_per_step_head():
    config = RunConfig(dataset="text", text=TextOptions(window_chars=40),
                       layers=(LayerConfig(cell="GRU", units=16), LayerConfig(cell="LSTM", units=8)))
    app = open_page("build", config.to_query())
    assert not app.exception, app.exception
    assert url_config(app) == config
    assert app.radio(key="build_dataset").value == "text"
    shapes = [block.value for block in app.markdown if block.value.startswith("**")]
    assert any(s.startswith("**Many-to-many** while it trains: the model reads a window of 40 "
                            "characters") for s in shapes)
    assert any(s.startswith("**One-to-many** when it writes from a prompt") for s in shapes)
    rows = summary_rows(app)
    assert list(rows) == ["embedding", "gru_1", "lstm_2", "next_character"]
    head = rows["next_character"]
    assert head[1] == "(None, 40, 97)" and head[2] == "**873** = 8 × 97 + 97"
    assert "at every step" in head[4]
    assert total(app) == f"{total_params(summarize(config)):,}"
    assert shown_code(app) == keras_code(config).rstrip()
    # Every layer returns its sequence, the top one too, and the page says why.
    top = app.checkbox(key="build_l2_return_sequences")
    assert top.value and top.disabled and "its head answers at every step" in top.help
    # The embedding box is the characters' own.
    app.number_input(key="build_char_embedding_dim").set_value(8).run()
    assert url_config(app).text.char_embedding_dim == 8
    assert summary_rows(app)["embedding"][1:3] == ["(None, 40, 8)", "**776** = 97 × 8"]


def test_the_review_model_is_many_to_one():
    app = open_page("build")
    (sentence,) = [b.value for b in app.markdown if b.value.startswith("**Many-to-one**")]
    assert "reads a review word by word and answers once" in sentence


def test_each_widgets_own_default_is_the_links_model():
    """A browser that draws a widget afresh, without a value of its own, shows the widget's
    default and sends it back with the next change of any other widget; so the default is the
    config's value, never the first option or zero (CI once saw an LSTM turn into a SimpleRNN,
    the first cell, when the Units box was typed into)."""
    config = RunConfig(dataset="weather", layers=(
        LayerConfig(cell="GRU", units=48, dropout=0.25, bidirectional=True),))
    app = open_page("build", config.to_query())
    cell = app.selectbox(key="build_l1_cell")
    assert cell.proto.options[cell.proto.default] == "GRU"
    dataset = app.radio(key="build_dataset")
    assert dataset.proto.options[dataset.proto.default] == "Weather (forecast)"
    assert app.number_input(key="build_l1_units").proto.default == 48
    assert list(app.slider(key="build_l1_dropout").proto.default) == [0.25]
    assert app.checkbox(key="build_l1_bidirectional").proto.default is True
    assert url_config(app) == config  # and drawing them changed nothing


def test_the_diagrams_are_made_once_per_model_for_every_tab(monkeypatch):
    """Building a diagram validates dozens of plotly shapes (0.06-0.09 s of the page's script):
    a second tab, or a redraw, with the same model reuses the figures; a new setting makes its
    own model diagram, and the task's shape, unchanged, is not drawn again."""
    from rnnlab.ui import build_panels

    made = []
    for name in ("model_diagram", "task_shape_diagram"):
        build = getattr(build_panels, name)
        monkeypatch.setattr(build_panels, name,
                            lambda *args, _build=build, _name=name: made.append(_name)
                            or _build(*args))
    build_panels.model_figure.clear()
    build_panels.shape_figure.clear()
    link = RunConfig(layers=(LayerConfig(cell="GRU", units=24),)).to_query()
    first = open_page("build", params=link)
    open_page("build", params=link).run()  # another tab, drawn twice
    assert made == ["task_shape_diagram", "model_diagram"]
    first.number_input(key="build_l1_units").set_value(40).run()
    assert made == ["task_shape_diagram", "model_diagram", "model_diagram"]
    assert not first.exception
