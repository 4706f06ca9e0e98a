"""The notebook a run exports: its structure and words, and no trace of RNN Lab in its code.

tests/unit/trainer/test_notebook_export.py executes whole notebooks against the lab's runs;
tests/unit/network/test_notebook_data.py holds each dataset's cells against the lab's loaders.
"""
import ast
import json

import nbformat
import pytest

from rnnlab.config import (
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    RunConfig,
    TextOptions,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.config.execution_path import KERAS_DEFAULT, XLA, choose_path
from rnnlab.network.codegen import keras_code
from rnnlab.network.notebook import file_name, notebook_for, notebook_text

CONFIGS = {
    "imdb-book": RunConfig(),
    "imdb-subset-dense": RunConfig(imdb=ImdbOptions(train_subset=2000), layers=(
        LayerConfig(cell="Dense", units=16, activation="relu", dropout=0.5),)),
    "imdb-stack-bidirectional-early-stopping": RunConfig(
        imdb=ImdbOptions(num_words=2000, maxlen=80, mask_padding=True),
        layers=(LayerConfig(cell="PeepholeLSTM", units=8, bidirectional=True, dropout=0.1),
                LayerConfig(cell="GRU", units=4, recurrent_dropout=0.2, return_sequences=True)),
        training=TrainingOptions(optimizer="adam", early_stopping_patience=2, seed=42)),
    "weather-nyc-all": RunConfig(dataset="weather", weather=WeatherOptions(
        source="nyc-all", lookback_hours=48, step_hours=3, target="rh (%)"),
        layers=(LayerConfig(cell="SimpleRNN", units=8),)),
    "weather-jena": RunConfig(dataset="weather", weather=WeatherOptions(source="jena"),
                              layers=(LayerConfig(cell="GRU", units=32, dropout=0.2),)),
    "memory": RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=100),
                        layers=(LayerConfig(cell="LSTM", units=16),)),
    "text-python": RunConfig(dataset="text", layers=(LayerConfig(cell="GRU", units=16),)),
    "text-imdb-stack": RunConfig(dataset="text", text=TextOptions(corpus="imdb", window_chars=60),
                                 layers=(LayerConfig(cell="LSTM", units=8),
                                         LayerConfig(cell="PeepholeLSTM", units=4))),
}


def code_cells(notebook):
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def markdown(notebook) -> str:
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


@pytest.mark.parametrize("name", CONFIGS)
def test_the_notebook_is_valid_and_its_code_never_imports_rnnlab(name):
    config = CONFIGS[name]
    notebook = nbformat.reads(notebook_text(config, run_id=12), as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert RunConfig.from_json(json.dumps(notebook.metadata.rnnlab.config)) == config
    imported = set()
    for source in code_cells(notebook):
        tree = ast.parse(source)  # every cell is valid Python
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module.split(".")[0])
        assert "rnnlab." not in source  # (the peephole class registers under package="rnnlab")
    assert "rnnlab" not in imported
    assert {"keras", "numpy", "pandas", "tensorflow", "plotly"} <= imported


@pytest.mark.parametrize("name", CONFIGS)
def test_each_step_is_explained_before_its_code(name):
    config = CONFIGS[name]
    notebook = notebook_for(config, run_id=12)
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[-1].cell_type == "code"
    headings = [line for line in markdown(notebook).splitlines() if line.startswith("## ")]
    assert headings[0] == "## Settings and seeds"
    assert headings[1].startswith("## The data")
    assert headings[-5:] == ["## The model", "## Training", "## The curves", "## The test score",
                             "## The numbers"]
    assert notebook.cells[0].source.startswith(f"# RNN Lab, Run #12: {config.label()}")
    # Every code cell follows a markdown cell that says what it does (find_file, a helper,
    # follows the data's introduction and another code cell).
    for before, cell in zip(notebook.cells, notebook.cells[1:]):
        if cell.cell_type == "code" and before.cell_type == "code":
            assert before.source.startswith("def find_file")


@pytest.mark.parametrize("name", CONFIGS)
def test_seeds_model_and_fit_are_the_runs(name):
    config = CONFIGS[name]
    training = config.training
    code = code_cells(notebook_for(config))
    settings = code[0]
    assert f"SEED = {training.seed}\n" in settings and f"EPOCHS = {training.epochs}\n" in settings
    assert f"BATCH_SIZE = {training.batch_size}\n" in settings
    assert f"VALIDATION_SPLIT = {training.validation_split!r}\n" in settings
    # As rnnlab.trainer.training.seed_everything does on the path the lab chooses (XLA keeps op
    # determinism off; a stack with a cell not measured yet takes Keras's default), compiled for it.
    path = choose_path(config)
    assert path in (XLA, KERAS_DEFAULT)
    assert settings.endswith("keras.utils.set_random_seed(SEED)" + (
        "\ntf.config.experimental.enable_op_determinism()" if path.op_determinism else ""))
    model = keras_code(config, training_hint=False).rstrip("\n")
    assert model in code and model.endswith("model.summary()")
    assert ("    jit_compile=True,\n)" in model) == path.xla
    fit = code[code.index(model) + 1]
    assert ("EarlyStopping" in fit) == bool(training.early_stopping_patience)
    assert ("restore_best_weights=True" in fit) == bool(training.early_stopping_patience)
    if config.dataset == "weather":
        assert "model.fit(train_data, epochs=EPOCHS, validation_data=val_data," in fit
    else:
        assert "validation_data=(x_val, y_val)" in fit and "batch_size=BATCH_SIZE" in fit
    assert code[-1].startswith("print(json.dumps({")


def test_a_run_trained_on_keras_default_path_goes_home_on_it():
    """A run whose worker could not take XLA (its result says so) is reproduced on its own path:
    deterministic kernels on, no XLA."""
    config = CONFIGS["imdb-book"]
    code = code_cells(notebook_for(config, result={"execution_path": KERAS_DEFAULT.label}))
    assert code[0].endswith("keras.utils.set_random_seed(SEED)\n"
                            "tf.config.experimental.enable_op_determinism()")
    assert not any("jit_compile" in cell for cell in code)


def test_the_first_batch_runs_eagerly_where_the_labs_run_did():
    """The lab's runs train their first batch eagerly (rnnlab.trainer.first_batch); the notebook
    does too, so its curves are the lab's; a run trained before that is reproduced without it."""
    config = CONFIGS["imdb-book"]
    result = {"execution_path": XLA.label, "first_batch_eager": True}

    def fit_cell(notebook):
        return next(cell for cell in code_cells(notebook) if "model.fit(" in cell)

    for notebook in (notebook_for(config), notebook_for(config, result=result)):
        fit = fit_cell(notebook)
        assert "callbacks = [EagerFirstBatch()]" in fit
        assert "self.model.run_eagerly = True" in fit and "runs step by step" in markdown(notebook)
    older = notebook_for(config, result={"execution_path": XLA.label})
    assert "EagerFirstBatch" not in fit_cell(older)
    assert "step by step" not in markdown(older)


def test_the_intro_says_what_the_run_is_and_what_the_lab_scored():
    config = CONFIGS["weather-nyc-all"]
    result = {"best_val_mae_%": 7.5, "test_mae_%": 8.25, "baseline_test_mae_%": 9.0,
              "target_unit": "%", "best_epoch": 4, "epochs_run": 10}
    intro = notebook_for(config, run_id=3, result=result).cells[0].source
    assert intro.startswith("# RNN Lab, Run #3: weather/nyc-all: SimpleRNN(8)\n")
    assert "What will the temperature be later" in intro
    assert ("**What the lab got:** best validation MAE 7.50 % (epoch 4 of 10), test MAE 8.25 %; "
            "the common-sense baseline misses by 9.00 % on the test windows.") in intro
    memory = notebook_for(CONFIGS["memory"], result={
        "best_val_accuracy": 0.91, "test_accuracy": 0.9, "best_epoch": 8, "epochs_run": 8})
    assert ("best validation accuracy 0.9100 (epoch 8 of 8), test accuracy 0.9000"
            in memory.cells[0].source)
    assert "guessing scores 0.5" in memory.cells[0].source
    assert "What the lab got" not in notebook_for(config).cells[0].source
    # A result from before the lab saved the best epoch still gives its scores.
    assert ("best validation accuracy 0.8500, test accuracy 0.8400." in notebook_for(
        RunConfig(), result={"best_val_accuracy": 0.85, "test_accuracy": 0.84}).cells[0].source)


def test_the_dense_networks_note_and_the_curves_references():
    dense = notebook_for(CONFIGS["imdb-subset-dense"])
    assert "A dense network averages the word vectors" in dense.cells[0].source
    assert "only the first 2,000 training and test reviews" in markdown(dense)
    curves = {name: next(code for code in code_cells(notebook_for(config))
                         if code.startswith("import plotly"))
              for name, config in CONFIGS.items()}
    assert 'annotation_text="chance"' in curves["memory"]
    assert 'annotation_text="common-sense baseline"' in curves["weather-jena"]
    assert 'y_title = "MAE (%)"' in curves["weather-nyc-all"]
    assert "add_hline" not in curves["imdb-book"]


def test_the_data_folder_and_the_file_name():
    notebook = notebook_for(CONFIGS["memory"], data_dir="/tmp/my data")
    assert "DATA_DIR = Path('/tmp/my data')" in code_cells(notebook)[0]
    assert "DATA_DIR = Path('data')" in code_cells(notebook_for(RunConfig()))[0]
    assert file_name(12) == "rnnlab-run-12.ipynb"


def test_a_text_run_draws_the_counting_models_and_quotes_them():
    config = CONFIGS["text-python"]
    result = {"best_val_bpc": 3.4, "test_bpc": 3.45, "best_epoch": 20, "epochs_run": 20,
              "unigram_test_bpc": 4.5412, "bigram_test_bpc": 3.6871}
    notebook = notebook_for(config, run_id=5, result=result)
    intro = notebook.cells[0].source
    assert "**The question:** What character comes next?" in intro
    assert ("best validation bpc 3.4000 (epoch 20 of 20), test bpc 3.4500; on the test text the "
            "unigram model needs 4.541, the bigram 3.687.") in intro
    code = code_cells(notebook)
    curves = next(cell for cell in code if cell.startswith("import plotly"))
    assert 'for name, bits in baselines["val"].items():' in curves
    assert 'y_title = "bpc"' in curves
    assert 'baselines["test"]' in code[-2] and "test_scores['bpc']" in code[-2]
    assert "sysconfig" in "".join(code) and "find_file" not in "".join(code)
    imdb = "".join(code_cells(notebook_for(CONFIGS["text-imdb-stack"])))
    assert 'find_file("aclImdb", "aclImdb*.tar.gz")' in imdb and "sysconfig" not in imdb
    assert "CORPUS_CHARS, WINDOW_CHARS = 400000, 60" in imdb
