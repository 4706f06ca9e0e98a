"""The Data page under AppTest, on tiny IMDB files in the Keras format and the bundled New York
records.

Plotly charts are opaque to AppTest, so the tests read what the page writes around them: the
review text and label, the explanation of what is cut, the baseline metrics and the feature table.
"""
import json
from urllib.parse import parse_qs

import pytest

from rnnlab.config import MemoryOptions, RunConfig, WeatherOptions
from rnnlab.config.catalog import STATION_COLUMNS
from rnnlab.config.presets import PRESETS
from rnnlab.config.weather_lesson import STEPS
from rnnlab.data import explain, imdb
from rnnlab.data.paths import DataError
from rnnlab.data.weather import load_weather
from rnnlab.ui import loaders
from tests.app.conftest import as_read, open_page
from tests.unit.data.test_imdb import WORD_INDEX, tricky_members, write_keras_npz, write_tarball
from tests.unit.data.test_weather import jena_record, jena_text

# Frequency ranks as Keras's imdb.npz stores them (the loader adds the start id and shifts by 3).
# "the"=1, "movie"=2, "was"=3, "great"=4, "bad"=5, "don't"=6, "it"=7; 9 is not in the index.
TRAIN = [[1, 2, 3, 4], [7, 3, 5, 5, 5, 5, 5, 9], [4, 4, 2], [1, 2, 3, 5]]
TRAIN_LABELS = [1, 0, 1, 0]
TEST = [[2, 3, 4], [2, 3, 5]]
TEST_LABELS = [1, 0]


@pytest.fixture
def tiny_imdb(data_dir):
    """A four-review Keras imdb.npz and the word index, in the data folder the page reads."""
    write_keras_npz(data_dir / "imdb.npz", TRAIN, TRAIN_LABELS, TEST, TEST_LABELS)
    (data_dir / "imdb_word_index.json").write_text(json.dumps(WORD_INDEX))
    return imdb.load_corpus()


def markdown_texts(app) -> list[str]:
    return [block.value for block in app.markdown]


def shown_review(corpus, split: str, index: int) -> str:
    """The review text the page must show for review `index` of `split`."""
    words = imdb.decode(explain.review_ids(corpus, split, index), WORD_INDEX)
    return explain.escape_markdown(explain.review_text(words))


def config_of(app) -> RunConfig:
    return RunConfig.from_query(dict(app.query_params))


def test_review_text_and_label_are_shown(tiny_imdb):
    app = open_page("data")
    assert not app.exception
    assert app.title[0].value == "Data"
    texts = markdown_texts(app)
    assert shown_review(tiny_imdb, "train", 0) in texts
    label = "positive (1)" if tiny_imdb.train_labels[0] == 1 else "negative (0)"
    assert any(text.startswith("#### Review 0 of the train set") and label in text for text in texts)
    assert app.number_input(key="data_review_index").value == 0
    assert app.session_state["data_dataset"] == "IMDB movie reviews"


def test_the_first_preparation_shows_a_progress_bar_and_later_visits_nothing(data_dir):
    """Raw Stanford reviews are tokenized the first time under a bar fed by load_corpus; it
    stays full with what was done until the next rerun, and then the cache is read silently."""
    write_tarball(data_dir / "aclImdb_v1.tar.gz", tricky_members())
    (data_dir / "imdb_word_index.json").write_text(json.dumps(WORD_INDEX))
    app = open_page("data")
    assert not app.exception
    bars = app.get("progress")
    assert [(bar.value, bar.text) for bar in bars] == [
        (100, "Prepared 11 IMDB reviews (first time only).")]
    assert any(text.startswith("#### Review 0 of the train set") for text in markdown_texts(app))
    app.run()
    assert not app.exception and app.get("progress") == []
    assert any(text.startswith("#### Review 0 of the train set") for text in markdown_texts(app))


def test_another_review_and_the_test_split(tiny_imdb, monkeypatch):
    app = open_page("data")
    app.number_input(key="data_review_index").set_value(2).run()
    assert shown_review(tiny_imdb, "train", 2) in markdown_texts(app)
    monkeypatch.setattr("random.randrange", lambda n: n - 1)  # "random" picks the last review
    app.button(key="data_review_random").click().run()
    assert app.number_input(key="data_review_index").value == 3
    # The test set has only two reviews: the number is kept within it.
    app.radio(key="data_review_split").set_value("test").run()
    assert not app.exception
    assert app.number_input(key="data_review_index").value == 1
    assert shown_review(tiny_imdb, "test", 1) in markdown_texts(app)


def test_changing_maxlen_updates_the_link_and_what_is_cut(tiny_imdb):
    app = open_page("data")
    app.number_input(key="data_maxlen").set_value(3).run()
    assert not app.exception
    assert app.query_params["maxlen"] == "3"
    assert config_of(app).imdb.maxlen == 3
    texts = markdown_texts(app)
    assert any("maxlen = 3" in text and text.startswith("#### What the network receives")
               for text in texts)
    ids = explain.review_ids(tiny_imdb, "train", 0)
    cut_away = len(ids) - 3
    assert any(f"first **{cut_away} tokens are cut off**" in text for text in texts)
    assert any(text.startswith(":gray[~~\\<start\\>") for text in texts)  # struck-out beginning


def test_a_small_vocabulary_marks_unknown_words(tiny_imdb):
    app = open_page("data", {"num_words": "6"})  # keeps ids 3-5: "the" and "movie" only
    assert config_of(app).imdb.num_words == 6
    ids = explain.review_ids(tiny_imdb, "train", 0)
    cut = explain.review_cut(ids, 6, 500)
    words = imdb.decode(ids, WORD_INDEX)
    texts = markdown_texts(app)
    assert explain.review_markdown(words, cut) in texts
    assert any(f"**{cut.unknown_seen} of the tokens it sees are outside the vocabulary**" in text
               for text in texts)


def test_a_link_with_a_refused_value_explains_it_and_shows_the_defaults(tiny_imdb):
    app = open_page("data", {"maxlen": "0"})
    assert not app.exception
    assert any("Review length (maxlen) is 0" in as_read(error.value) for error in app.error)
    assert config_of(app).imdb.maxlen == 500
    assert app.number_input(key="data_maxlen").value == 500


def test_without_imdb_data_the_tab_says_where_to_put_it_and_the_weather_tab_still_works(data_dir):
    app = open_page("data")
    assert not app.exception
    errors = [error.value for error in app.error]
    assert len(errors) == 1 and "IMDB data is not on this computer" in errors[0]
    assert str(data_dir) in errors[0] and "RNNLAB_DATA_DIR" in errors[0]
    assert any("download" in info.value for info in app.info)
    assert app.button(key="data_download_imdb").label == "Download IMDB now"
    # Only the open tab runs: the weather tab shows its baseline and no IMDB error.
    app = open_page("data", {"dataset": "weather"})
    assert not app.exception and not app.error
    assert any(metric.label == "validation MAE in °C" for metric in app.metric)


def test_weather_shows_the_baseline_in_degrees_and_the_training_statistics(data_dir):
    app = open_page("data", {"dataset": "weather"})
    assert not app.exception
    assert app.session_state["data_dataset"] == "Weather"
    expected = load_weather(WeatherOptions(), 0.2)
    metrics = {metric.label: metric.value for metric in app.metric}
    for name, split in (("validation", "val"), ("test", "test")):
        normalized = expected.baseline_mae(split)
        assert metrics[f"{name} MAE in °C"] == f"{expected.to_target_units(normalized):.2f} °C"
        assert metrics[f"{name}, normalized"] == f"{normalized:.3f}"
    assert any("the temperature tomorrow at this hour (24 h from now) equals the temperature now"
               in text for text in markdown_texts(app))
    table = app.dataframe[0].value
    assert list(table.columns) == ["feature", "mean", "std", "min", "max"]
    assert table["feature"].tolist() == list(STATION_COLUMNS)
    assert table["mean"][0] == pytest.approx(expected.mean[0], abs=0.01)
    assert any("training part only" in text for text in markdown_texts(app))


def test_weather_says_how_the_new_york_record_was_cleaned(data_dir):
    app = open_page("data", {"dataset": "weather", "source": "nyc-all"})
    assert not app.exception and not app.error
    (words,) = [text for text in markdown_texts(app) if "SI units" in text]
    assert "75 missing hours are filled (over 3 stations)" in words      # 24 + 27 + 24
    assert "1 impossible value removed" in words and "wv (m/s) at EWR" in words
    (table,) = [text for text in markdown_texts(app) if text.startswith("| station |")]
    rows = table.splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == ["| JFK", "| EWR", "| LGA"]
    assert "| 8,706 | 24 | none | 855 |" in rows[0]     # JFK: 831 NA pressures + 24 hours
    assert "1 in wv (m/s)" in rows[1]


def test_weather_walks_the_book_s_lesson_with_one_link_per_step(data_dir):
    app = open_page("data", {"dataset": "weather"})
    labels = [p.proto.label for p in app.get("page_link")]
    steps = [label for label in labels if label.startswith("Step ")]
    assert steps == [f"Step {n}: {step.title}" for n, step in enumerate(STEPS, start=1)]
    first = next(p for p in app.get("page_link") if p.proto.label == steps[0])
    query = {k: v[0] for k, v in parse_qs(first.proto.query_string).items()}
    assert RunConfig.from_query(query) == PRESETS["nyc-dense"].config
    assert query["l1_cell"] == "Dense" and query["dataset"] == "weather"


def test_weather_settings_go_into_the_link_and_refused_ones_are_explained(data_dir):
    app = open_page("data", {"dataset": "weather"})
    app.number_input(key="data_lookback_hours").set_value(12).run()
    assert config_of(app).weather.lookback_hours == 12
    assert not app.error
    app.number_input(key="data_step_hours").set_value(24).run()  # longer than the lookback
    assert not app.exception
    assert any("Step is 24 h, longer than the lookback of 12 h" in e.value for e in app.error)
    assert config_of(app).weather.step_hours == 1
    # The window slider stays on a valid window after the settings change.
    assert not app.exception and len(app.slider) == 1


def test_jena_is_not_downloaded_on_page_load_but_on_request(data_dir, monkeypatch):
    calls = []

    def fake_download(name):
        calls.append(name)
        if len(calls) == 1:
            raise DataError("Could not download jena_climate_2009_2016.csv.zip: no network.")
        dates, values = jena_record(days=12)
        (data_dir / "jena_climate_2009_2016.csv").write_text(jena_text(dates, values))

    monkeypatch.setattr(loaders, "download_in_child", fake_download)
    params = {"dataset": "weather", "source": "jena", "lookback_hours": "24"}
    app = open_page("data", params)
    assert not app.exception and calls == []
    assert any("13 MB download" in info.value for info in app.info)
    app.button(key="data_download_jena").click().run()
    assert calls == ["jena"]
    assert any("no network" in error.value for error in app.error)
    app.button(key="data_download_jena").click().run()
    assert calls == ["jena", "jena"] and not app.exception
    assert len(app.dataframe[0].value) == 14  # the Jena record's 14 features
    assert any(metric.label == "validation MAE in °C" for metric in app.metric)


def test_the_memory_tab_shows_the_task_its_sets_and_chance(data_dir):
    app = open_page("data", {"dataset": "memory"})
    assert not app.exception and not app.error  # no IMDB files needed: only the open tab runs
    assert app.session_state["data_dataset"] == "Long-memory task"
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics == {"training sequences": "3,200", "validation sequences": "800",
                       "test sequences": "800", "accuracy by guessing": "0.5",
                       "recent value only": "0.75"}
    assert any("sequence of **50 steps**" in text and "one among the first 5 (the start)" in text
               and "*do the two marked values add up to more than 1?*" in text
               and "through at least 45 steps" in text for text in markdown_texts(app))
    assert app.number_input(key="data_sequence_length").value == 50


def test_memory_settings_go_into_the_link_and_refused_ones_are_explained(data_dir):
    app = open_page("data", {"dataset": "memory"})
    app.number_input(key="data_sequence_length").set_value(120).run()
    app.number_input(key="data_examples").set_value(1000).run()
    assert config_of(app).memory == MemoryOptions(sequence_length=120, examples=1000)
    assert any("sequence of **120 steps**" in text for text in markdown_texts(app))
    assert {m.label: m.value for m in app.metric}["training sequences"] == "800"
    app.number_input(key="data_examples").set_value(100_000).run()  # 12,000,000 readings: fine
    app.number_input(key="data_sequence_length").set_value(1000).run()  # 100,000,000: refused
    assert not app.exception
    assert any("at most 20,000,000 are allowed" in error.value for error in app.error)
    assert config_of(app).memory.sequence_length == 120


def test_a_review_is_shown_as_the_integer_ids_the_network_reads_beside_its_words(tiny_imdb):
    app = open_page("data")  # review 0 of train (shuffled as Keras does): the movie was bad
    assert not app.exception
    (table,) = [t for t in markdown_texts(app) if t.startswith("| position | word |")]
    lines = table.splitlines()
    assert lines[0] == "| position | word | id the network reads | why |"
    assert lines[2:] == [
        "| 1 to 495 | \\(padding\\) | 0 | zeros in front: the review is shorter than maxlen |",
        "| 496 | \\<start\\> | 1 | the start marker |",
        "| 497 | the | 4 |  |", "| 498 | movie | 5 |  |", "| 499 | was | 6 |  |",
        "| 500 | bad | 8 |  |"]
    assert any(text.startswith("**The same review as the network reads it: 500 integers.**")
               and text.endswith("the first 5 tokens it reads, each id beside its word.")
               for text in markdown_texts(app))
    app.number_input(key="data_maxlen").set_value(3).run()  # now the start is cut off
    (table,) = [t for t in markdown_texts(app) if t.startswith("| position | word |")]
    assert table.splitlines()[2].startswith("| not read | the first 2 tokens | - | cut off")
    assert table.splitlines()[3:] == ["| 1 | movie | 5 |  |", "| 2 | was | 6 |  |",
                                      "| 3 | bad | 8 |  |"]
