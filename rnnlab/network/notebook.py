"""Take the experiment home: a run written out as a Jupyter notebook that needs no RNN Lab.

A student who trained a run in class can download it as a notebook and run it top to bottom on
their own computer with plain Keras: the same data with the same preprocessing, the same model,
the same fit with the same seed, the curves and the test score. With the same versions of the
libraries it draws the same validation curve as the lab, number for number (a test executes the
notebook with nbclient in a fresh kernel and compares).

The notebook reads like the lesson, one step per section, each opened by a markdown cell in the
lab's words:

1. what the run is (the model's label, the dataset, the question it answers) and what the lab
   scored;
2. settings and seeds: `keras.utils.set_random_seed`, and
   `tf.config.experimental.enable_op_determinism()` where the run's execution path has it
   (rnnlab.config.execution_path; under XLA it has not), exactly as rnnlab.trainer.training does,
   so weights, shuffling and dropout draw the same numbers;
3. the data (rnnlab.network.notebook_data, rnnlab.network.notebook_weather,
   rnnlab.network.notebook_text);
4. the model: the script of rnnlab.network.codegen, the one the Build page shows, which builds
   what the lab's trainer builds, layer by layer, and compiles it for the run's execution path;
5. the fit, with the run's epochs, batch size, validation data and early stopping, its first
   batch run eagerly as the lab runs it (rnnlab.trainer.first_batch);
6. the curves (plotly) and a table of every epoch;
7. the test score, for weather next to the common-sense baseline in degrees C, for text next to
   the unigram and bigram models' bits per character;
8. the history as JSON, to compare with the lab's run.

Files are written with nbformat (the notebook format 4), so Jupyter, VS Code and Colab open them.
This module only writes text: it imports no TensorFlow.
"""
from __future__ import annotations

import ast
import json
from importlib import metadata
from pathlib import Path

import nbformat
from nbformat import v4

from rnnlab.config import RunConfig
from rnnlab.config.execution_path import ExecutionPath, choose_path
from rnnlab.network.codegen import keras_code
from rnnlab.network.notebook_data import data_cells
from rnnlab.network.notebook_weather import Cell, target_unit

# The libraries whose versions decide the numbers; the notebook compares its own with the lab's.
PINNED = ("tensorflow", "keras", "numpy", "pandas")
QUESTIONS = {
    "imdb": ("Is a movie review positive or negative?", "accuracy, the share of reviews "
             "classified right (higher is better)"),
    "weather": ("What will the temperature be later, given the last few days of weather?",
                "the mean absolute error, MAE, of the forecast (lower is better)"),
    "memory": ("Do the two marked values of a long sequence add up to more than 1?",
               "accuracy, the share of sequences answered right (higher is better; guessing "
               "scores 0.5)"),
    "text": ("What character comes next? The model reads text one character at a time and, "
             "after each, gives every character a probability of coming next.",
             "bits per character, bpc, the cross-entropy in bits (lower is better; the unigram "
             "and bigram models that only count set the bars)"),
}


def file_name(run_id: int) -> str:
    """The notebook's file name for run `run_id`, e.g. "rnnlab-run-12.ipynb"."""
    return f"rnnlab-run-{run_id}.ipynb"


def _lab_versions() -> dict[str, str]:
    """The versions the lab trains with (this server's), read without importing them."""
    versions = {}
    for name in PINNED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _intro(config: RunConfig, run_id: int | None, result: dict | None) -> str:
    question, metric = QUESTIONS[config.dataset]
    title = f"Run #{run_id}" if run_id is not None else "A run"
    lines = [f"# RNN Lab, {title}: {config.label()}", "",
             f"**The question:** {question} The score is {metric}.", "",
             "This notebook reproduces the run with plain Keras, without RNN Lab: the data with "
             "the same preprocessing, the same model, the fit with the same seed, the curves and "
             "the test score. Run it top to bottom (*Run All*). With the versions of the "
             "libraries printed below, every number comes out as it did in the lab.", ""]
    for note in config.notes():
        lines.append(f"- {note}")
    if result:
        scores = _lab_scores(config, result)
        if scores:
            lines += ["", f"**What the lab got:** {scores}."]
    return "\n".join(lines).replace("\n\n\n", "\n\n")


def _lab_scores(config: RunConfig, result: dict) -> str:
    """The run's scores in one sentence, from the result the lab saved."""
    metric = config.metric
    unit = result.get("target_unit")
    suffix = f"_{unit}" if metric == "mae" and unit else ""
    best, test = result.get(f"best_val_{metric}{suffix}"), result.get(f"test_{metric}{suffix}")
    if best is None or test is None:
        return ""
    if suffix:  # a weather run: in the target's unit, to two decimals like the lab's pages
        best_text, test_text = f"MAE {best:.2f} {unit}", f"MAE {test:.2f} {unit}"
    else:
        best_text, test_text = f"{metric} {best:.4f}", f"{metric} {test:.4f}"
    text = f"best validation {best_text}"
    if result.get("best_epoch") and result.get("epochs_run"):
        text += f" (epoch {result['best_epoch']} of {result['epochs_run']})"
    text += f", test {test_text}"
    baseline = result.get(f"baseline_test_mae{suffix}")
    if baseline is not None:
        text += (f"; the common-sense baseline misses by {baseline:.2f} {unit} on the test "
                 "windows")
    unigram, bigram = result.get("unigram_test_bpc"), result.get("bigram_test_bpc")
    if unigram is not None and bigram is not None:
        text += f"; on the test text the unigram model needs {unigram:.3f}, the bigram {bigram:.3f}"
    return text


def _settings(config: RunConfig, data_dir: str, path: ExecutionPath) -> tuple[str, str]:
    training = config.training
    if path.op_determinism:
        kernels = ("and `enable_op_determinism` makes TensorFlow's kernels add up their numbers "
                   "in a fixed order, so the same settings and seed give the same curves.")
    else:
        kernels = ("and the model is compiled with XLA (`jit_compile=True`), which on a CPU adds "
                   "up in the same order every time, so the same settings and seed give the same "
                   "curves (op determinism would switch XLA off: Keras refuses the two together).")
    explain = (
        "## Settings and seeds\n\n"
        "Every random draw of the run (the starting weights, the order of the training "
        "examples, dropout) comes from one seed. `keras.utils.set_random_seed` seeds Python, "
        f"NumPy and TensorFlow, {kernels} "
        "Set `DATA_DIR` to the folder that holds (or should receive) the data files.")
    determinism = "\ntf.config.experimental.enable_op_determinism()" if path.op_determinism else ""
    patience = training.early_stopping_patience
    code = f'''import json
from importlib import metadata
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

DATA_DIR = Path({data_dir!r})  # where the data files are, or will be downloaded to
SEED = {training.seed}
EPOCHS = {training.epochs}
BATCH_SIZE = {training.batch_size}
VALIDATION_SPLIT = {training.validation_split!r}
PATIENCE = {patience}  # early stopping: epochs without a better validation loss (0 = never stop)

LAB_VERSIONS = {_lab_versions()!r}
for name, version in LAB_VERSIONS.items():
    mine = metadata.version(name)
    print(f"{{name}} {{mine}}" + ("" if mine == version else
                               f" (the lab used {{version}}: the numbers may differ a little)"))

keras.utils.set_random_seed(SEED){determinism}'''
    return explain, code


def _model(config: RunConfig, path: ExecutionPath) -> tuple[str, str]:
    explain = (
        "## The model\n\n"
        "The Keras code RNN Lab shows on its Build page for this model: every layer with its "
        "name, size and settings, and a comment on what it does. It builds exactly what the "
        "lab trained. Seeding again just before building makes the starting weights the lab's.")
    return explain, keras_code(config, training_hint=False, path=path).rstrip("\n")


def _eager_first_batch_code() -> str:
    """rnnlab.trainer.first_batch's callback, read as text: the notebook runs the lab's own code
    (without it some curves would part from the lab's in the fourth digit), and this module never
    imports TensorFlow, so the class is taken from the file rather than from the module."""
    text = (Path(__file__).parents[1] / "trainer" / "first_batch.py").read_text()
    callback = next(node for node in ast.parse(text).body
                    if isinstance(node, ast.ClassDef) and node.name == "EagerFirstBatch")
    return ast.get_source_segment(text, callback)


def _fit(config: RunConfig, eager_first_batch: bool) -> tuple[str, str]:
    training = config.training
    arrays = config.dataset != "weather"
    stopping = ""
    if training.early_stopping_patience:
        stopping = (" It stops early when the validation loss has not improved for "
                    f"{training.early_stopping_patience} epochs, and keeps the weights of the "
                    "best epoch.")
    explain = (
        "## Training\n\n"
        f"{training.epochs} passes over the training data (epochs), {training.batch_size} "
        f"examples per step, {training.optimizer} with learning rate {training.learning_rate:g}. "
        "After every epoch the model is scored on the validation data it does not learn from."
        + stopping)
    lines = ["callbacks = []"]
    if eager_first_batch:
        explain += (" As in the lab, the first batch runs step by step and the compiled training "
                    "step takes over from the second, so the numbers are the lab's.")
        lines = [_eager_first_batch_code() + "\n\n\ncallbacks = [EagerFirstBatch()]"]
    if training.early_stopping_patience:
        lines += ["callbacks.append(keras.callbacks.EarlyStopping(",
                  '    monitor="val_loss", patience=PATIENCE, restore_best_weights=True))']
    if arrays:
        lines += ["history = model.fit(",
                  "    x_train, y_train, batch_size=BATCH_SIZE, epochs=EPOCHS,",
                  "    validation_data=(x_val, y_val), callbacks=callbacks, shuffle=True,",
                  "    verbose=2)"]
    else:
        lines += ["# The training windows come batched and shuffled by their dataset.",
                  "history = model.fit(train_data, epochs=EPOCHS, validation_data=val_data,",
                  "                    callbacks=callbacks, shuffle=False, verbose=2)"]
    return explain, "\n".join(lines)


def _curves(config: RunConfig) -> tuple[str, str]:
    metric = config.metric
    weather = config.dataset == "weather"
    explain = (
        "## The curves\n\n"
        f"The training and validation {'MAE' if weather else metric} after every epoch. "
        "Training keeps improving; when the validation curve stops following it, the network "
        "has started to learn its training examples by heart (overfitting)."
        + (" The dotted line is the common-sense baseline; a useful network is below it."
           if weather else " The dotted line is chance, 0.5." if config.dataset == "memory"
           else " The dotted lines are the unigram and bigram models' bits per character on "
                "the validation text; a model below the bigram line remembers more than one "
                "character." if config.dataset == "text" else ""))
    lines = ["import plotly.graph_objects as go", "",
             'epochs = list(range(1, len(history.history["loss"]) + 1))']
    if weather:
        lines += ["scale = target_std  # normalized errors times the target's std: its own unit",
                  f'y_title = "MAE ({target_unit(config)})"']
    else:
        lines += ["scale = 1.0", f'y_title = "{metric}"']
    lines += ["figure = go.Figure()",
              f'for key, name in (("{metric}", "training"), ("val_{metric}", "validation")):',
              "    figure.add_trace(go.Scatter(x=epochs, y=np.array(history.history[key]) * scale,",
              '                                mode="lines+markers", name=name))']
    if weather:
        lines += ['figure.add_hline(y=baseline_mae("val") * scale, line_dash="dot",',
                  '                 annotation_text="common-sense baseline")']
    elif config.dataset == "memory":
        lines.append('figure.add_hline(y=0.5, line_dash="dot", annotation_text="chance")')
    elif config.dataset == "text":
        lines += ['for name, bits in baselines["val"].items():',
                  '    figure.add_hline(y=bits, line_dash="dot", annotation_text=name)']
    lines += ['figure.update_layout(xaxis_title="epoch", yaxis_title=y_title)',
              "figure.show()",
              'pd.DataFrame(history.history, index=pd.Index(epochs, name="epoch")).round(4)']
    return explain, "\n".join(lines)


def _test_score(config: RunConfig) -> tuple[str, str]:
    metric = config.metric
    if config.dataset == "weather":
        unit = target_unit(config)
        explain = ("## The test score\n\n"
                   "The last stretch of the record, which neither training nor validation saw, "
                   f"in {unit}, next to the common-sense baseline on the same windows.")
        code = ("test_scores = model.evaluate(test_data, verbose=0, return_dict=True)\n"
                f'print(f"Test MAE: {{test_scores[\'mae\'] * target_std:.2f}} {unit}; the "\n'
                f'      f"common-sense baseline: {{baseline_mae(\'test\') * target_std:.2f}} '
                f'{unit}")')
        return explain, code
    explain = ("## The test score\n\n"
               "Examples the network never saw, neither in training nor in validation: the fair "
               "measure of what it learned.")
    code = ("test_scores = model.evaluate(x_test, y_test, batch_size=BATCH_SIZE, verbose=0, "
            "return_dict=True)\n"
            f'print(f"Test {metric}: {{test_scores[\'{metric}\']:.4f}}")')
    if config.dataset == "text":
        code += ('\nprint("The counting models on the test text:", '
                 '{name: round(bits, 4) for name, bits in baselines["test"].items()})')
    return explain, code


def _numbers() -> tuple[str, str]:
    explain = ("## The numbers\n\nThe history of every epoch and the test score, as JSON: "
               "compare them with the run's History (CSV) on the lab's Runs page.")
    code = ("print(json.dumps({\n"
            '    "history": {key: [float(value) for value in values]\n'
            "                for key, values in history.history.items()},\n"
            '    "test": {key: float(value) for key, value in test_scores.items()},\n'
            "}))")
    return explain, code


def _section(explain: str, code: str) -> list[Cell]:
    """A step of the notebook: the markdown that explains it, then its code."""
    return [("markdown", explain), ("code", code)]


def notebook_for(config: RunConfig, run_id: int | None = None, result: dict | None = None,
                 data_dir: str = "data") -> nbformat.NotebookNode:
    """The notebook that reproduces a run of `config` with plain Keras.

    Args:
        config: the run's config (its seed is in config.training).
        run_id: the run's number, for the title.
        result: the run's saved result, to quote the lab's scores and to train on the execution
            path it took; None leaves the scores out and takes the path the lab would choose.
        data_dir: the notebook's DATA_DIR, where it looks for (and downloads) data files.
    Returns:
        A valid nbformat 4 notebook, markdown and code cells, with a Python 3 kernel.
    Raises:
        ValueError: the notebook written is not valid nbformat 4 (a bug, said in words).
    """
    path = (ExecutionPath.from_label(result["execution_path"])
            if result and "execution_path" in result else choose_path(config))
    sections = [("markdown", _intro(config, run_id, result)),
                *_section(*_settings(config, data_dir, path)), *data_cells(config),
                *_section(*_model(config, path)),
                *_section(*_fit(config, eager_first_batch=result is None
                                or bool(result.get("first_batch_eager")))),
                *_section(*_curves(config)), *_section(*_test_score(config)),
                *_section(*_numbers())]
    cells = [v4.new_markdown_cell(text) if kind == "markdown" else v4.new_code_cell(text)
             for kind, text in sections]
    notebook = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "rnnlab": {"config": json.loads(config.to_json()), "run": run_id},
    })
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as err:
        raise ValueError(f"the notebook written is not a valid Jupyter notebook ({err.message})") \
            from err
    return notebook


def notebook_text(config: RunConfig, run_id: int | None = None, result: dict | None = None,
                  data_dir: str = "data") -> str:
    """notebook_for(...) as the text of an .ipynb file (JSON), ready to download."""
    return nbformat.writes(notebook_for(config, run_id, result, data_dir))
