"""Faults injected into config files and flags: `python -m rnnlab` exits 2 with words, never a
traceback, and the codec refuses the same files with a ConfigError the store and the CLI share.

Before the fix: latin-1 and UTF-16 files raised UnicodeDecodeError, a 5,000-digit integer
ValueError and deeply nested JSON RecursionError (exit 1, a traceback); `--units 1_6` and Arabic
or full-width digits were read as 16; `--layers N` copied layers N times over before checking N
(10,000 took 29 s); the flag messages spoke of "the link"; a huge cell name came back whole.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rnnlab.__main__ import main
from rnnlab.config import ConfigError, RunConfig
from rnnlab.config.json_text import MAX_DEPTH, MAX_JSON_CHARACTERS, read_json
from rnnlab.config.numbers import parse_decimal, parse_id_list, parse_whole_number
from rnnlab.config.search import SearchConfig
from tests.unit.test_cli import ROOT

GOOD = RunConfig().to_json()
BAD_FILES = {
    "latin-1": ('{"dataset": "imdb", "layers": [{"cell": "GRÜ"}]}'.encode("latin-1"),
                "is not UTF-8 text (byte 44 cannot be read): save it as UTF-8."),
    "UTF-16 with a byte-order mark": (GOOD.encode("utf-16"), "is not UTF-8 text"),
    "UTF-16 without one": (GOOD.encode("utf-16-le"), "holds NUL characters, as UTF-16 text"),
    "a 5,000-digit integer": (('{"training": {"seed": ' + "9" * 5000 + "}}").encode(),
                              "holds a whole number of 5,000 digits, but at most 30 are read."),
    "deeply nested": (b"[" * 100_000 + b"]" * 100_000,
                      "nests 100,000 levels of brackets deep, but a config nests a few"),
    "nested within a string's reach": ((json.dumps({"dataset": "[" * 50}) + " " + "[" * 30).encode(),
                                       "nests 30 levels"),
    "NaN": (b'{"training": {"learning_rate": NaN}}', "holds NaN, which JSON does not allow"),
    "1e999": (b'{"training": {"learning_rate": 1e999}}', "holds the number '1e999', which is too"),
    "not JSON": (b"units: 3", "is not valid JSON"),
    "a list": (b"[1, 2]", "A config must be a JSON object"),
    "a huge unknown key": (json.dumps({"x" * 500_000: 1}).encode(), "Unknown setting 'xxxxx"),
}


def cli(capsys, *args: str) -> tuple[int, str]:
    """main(args) in this process: its exit status and what it wrote to stderr."""
    try:
        status = main(list(args))
    except SystemExit as exit_:  # argparse's own refusals
        status = exit_.code
    return status, capsys.readouterr().err


def assert_refused(status: int, err: str, *words: str) -> None:
    assert status == 2, err
    assert "Traceback" not in err and "link" not in err, err
    assert len(err) < 2_000, err[:200]  # nothing typed is echoed whole
    for word in words:
        assert word in err, err


@pytest.mark.parametrize("case", sorted(BAD_FILES))
@pytest.mark.parametrize("command", ["train", "summary"])
def test_a_bad_config_file_exits_2_naming_the_file(tmp_path, capsys, case, command):
    data, words = BAD_FILES[case]
    path = tmp_path / "run.json"
    path.write_bytes(data)
    status, err = cli(capsys, command, "--config", str(path))
    assert_refused(status, err, f"The file '{path}': ", words)


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_the_codec_refuses_the_same_files_in_words(case):
    """The run store reads config.json and the stored JSON with the same codec."""
    data, words = BAD_FILES[case]
    for read, noun in ((RunConfig.from_json, "config"), (SearchConfig.from_json, "search")):
        with pytest.raises(ConfigError) as caught:
            read(data)
        assert words.replace("config", noun) in str(caught.value)
        assert len(str(caught.value)) < 2_000
    if case not in ("latin-1", "UTF-16 with a byte-order mark"):
        with pytest.raises(ConfigError, match=words.split("(")[0][:30].replace(".", r"\.")):
            RunConfig.from_json(data.decode("utf-8"))  # text is read as its bytes are


def test_a_file_larger_than_a_config_is_not_read_whole(tmp_path, capsys):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (50 * 1024 * 1024) + GOOD.encode())
    status, err = cli(capsys, "summary", "--config", str(path))
    assert_refused(status, err, f"is larger than {MAX_JSON_CHARACTERS:,} bytes")
    with pytest.raises(ConfigError, match="bytes long, but a config is a few thousand"):
        read_json(b" " * (MAX_JSON_CHARACTERS + 1), "config")


def test_a_missing_file_and_a_folder_are_explained(tmp_path, capsys):
    assert_refused(*cli(capsys, "summary", "--config", str(tmp_path / "nowhere.json")),
                   "Cannot read the file", "No such file or directory")
    assert_refused(*cli(capsys, "summary", "--config", str(tmp_path)),
                   "Cannot read the file", "Is a directory")


def test_good_files_still_read_a_byte_order_mark_too(tmp_path, capsys):
    path = tmp_path / "run.json"
    path.write_bytes(b"\xef\xbb\xbf" + RunConfig().to_json().encode())
    assert cli(capsys, "summary", "--config", str(path))[0] == 0
    nested = {"a": [[[[1]]]]}
    assert read_json(json.dumps(nested), "config") == nested
    assert read_json("[" * MAX_DEPTH + "]" * MAX_DEPTH, "config") is not None


@pytest.mark.parametrize("text", ["1_6", "١٦", "１６", "16\u00a0", "\u200916", "16\u3000", "+16",
                                  "16.0", "1e1", "0x10", "sixteen", "", "9" * 5000])
def test_number_flags_take_ascii_digits_only(capsys, text):
    status, err = cli(capsys, "summary", "--units", text)
    shown = repr(text)[:40]
    assert_refused(status, err, f"The flag --units is {shown}",
                   "must be a whole number written with the digits 0-9")


@pytest.mark.parametrize("text", ["0,001", "1e-3\u00a0", "١e-3", "nan", "inf", "1_0.5", "1e999"])
def test_decimal_flags_take_ascii_numbers_only(capsys, text):
    status, err = cli(capsys, "summary", "--learning-rate", text)
    assert_refused(status, err, "The flag --learning-rate is ")


def test_ascii_numbers_with_plain_spaces_around_still_work(capsys):
    assert main(["summary", "--units", " 16 ", "--learning-rate", "1e-3", "--layers", "2"]) == 0
    assert "lstm_2" in capsys.readouterr().out


@pytest.mark.parametrize("depth", ["100000000", "10000", "5", "0", "-1"])
def test_the_depth_is_refused_before_any_layer_is_copied(capsys, monkeypatch, depth):
    copied = []
    monkeypatch.setattr("rnnlab.__main__.layer_key",
                        lambda number, name: copied.append(number) or f"l{number}_{name}")
    status, err = cli(capsys, "train", "--layers", depth, "--units", "8")
    assert_refused(status, err, f"Number of layers is {depth}, but it must be a whole number "
                                "from 1 to 4")
    assert copied == []  # refused before anything scaled with it


def test_bad_flags_are_all_named_at_once_and_huge_text_is_cut(capsys):
    name = "x" * 5_000_000
    status, err = cli(capsys, "summary", "--cell", name, "--units", "1_6", "--layers", "²")
    assert_refused(status, err, "The flag --layers is '²'", "The flag --units is '1_6'")
    status, err = cli(capsys, "summary", "--cell", name)
    assert_refused(status, err, "Layer 1 cell is 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...,")
    status, err = cli(capsys, "summary", "--preset", name)
    assert_refused(status, err, "The flag --preset is 'xxxxxxxxx", "memory-quick")
    status, err = cli(capsys, "summary", "--no-such-flag", name)
    assert_refused(status, err, "unrecognized arguments")


def test_the_command_line_in_a_subprocess_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "run.json"
    path.write_bytes(b"[" * 100_000)
    done = subprocess.run([sys.executable, "-m", "rnnlab", "train", "--config", str(path),
                           "--units", "١٦"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "nests 100,000 levels of brackets deep" in done.stderr


# -- the shared readers of numbers a person types -----------------------------------------------


def test_whole_numbers_ids_and_lists():
    assert parse_whole_number(" 7 ", "the run") == 7
    assert parse_id_list("3,4,,3,7,", "the runs") == [3, 4, 7]
    for text in ("²", "1_6", "٣", "9" * 25, "9" * 5000, "-1", "7\u200b"):
        with pytest.raises(ValueError, match="^The run is "):
            parse_whole_number(text, "the run", 1)
    with pytest.raises(ValueError, match="from 1 to 4"):
        parse_whole_number("5", "the flag --layers", 1, 4)
    with pytest.raises(ValueError, match=r"^An item of the runs is '²'"):
        parse_id_list("1,2,²", "the runs")
    with pytest.raises(ValueError, match="holds 51 items, but at most 50"):
        parse_id_list(",".join(map(str, range(51))), "the runs")
    assert parse_decimal("-2.5e-3", "the rate") == -0.0025
    with pytest.raises(ValueError, match="too large"):
        parse_decimal("1e999", "the rate")


def test_a_file_with_a_hundred_thousand_layers_is_refused_before_they_are_built(tmp_path, capsys,
                                                                                   monkeypatch):
    built = []
    monkeypatch.setattr("rnnlab.config.codec._section_from_plain",
                        lambda section, part: built.append(part))
    path = tmp_path / "deep.json"
    path.write_text(json.dumps({"layers": [{}] * 100_000}))
    status, err = cli(capsys, "summary", "--config", str(path))
    assert_refused(status, err, "Number of layers is 100000, but it must be a whole number from 1 "
                                "to 4")
    assert built == []
