"""LSTM with peephole connections (Gers & Schmidhuber, "Recurrent nets that time and count", 2000).

In the plain LSTM the gates see only the input x_t and the previous output h_{t-1}, and h is the
cell state squashed and filtered by the output gate: while that gate is closed, the gates are
blind to what the cell holds. Peepholes let them look: each gate also reads the cell state,
through one weight per unit (p_i, p_f, p_o; an elementwise product, not a matrix):

    i_t = s(x_t K_i + h_{t-1} R_i + p_i * c_{t-1} + b_i)     input gate, peeks at the old cell
    f_t = s(x_t K_f + h_{t-1} R_f + p_f * c_{t-1} + b_f)     forget gate, peeks at the old cell
    g_t = act(x_t K_g + h_{t-1} R_g + b_g)                   candidate c~ (no peephole)
    c_t = f_t * c_{t-1} + i_t * g_t                          cell state
    o_t = s(x_t K_o + h_{t-1} R_o + p_o * c_t + b_o)         output gate, peeks at the NEW cell
    h_t = o_t * act(c_t)                                     hidden state

Gers and Schmidhuber added them so a cell can time intervals precisely, opening a gate when its
count reaches a value. The price is 3 x U numbers per layer; the peephole weights start at 0, so a
new peephole LSTM is a plain LSTM that learns how much to peek.

Keras has no peephole layer, so `KERAS_CODE` defines one in Keras 3: a cell (keras.ops) run by
keras.layers.RNN, registered for serialization so model.save and keras.saving.load_model work
(to load a saved model in a new process, first run CELL.keras_layer_class(keras)). Its weights
are Keras's LSTM's plus peephole_weights (3, U), rows i, f, o. Dropout works as in Keras's LSTM:
while training, one mask per sequence, the same at every step, on x_t (dropout) and on h_{t-1}
(recurrent_dropout), one mask per block when recurrent dropout is on. The generated script
includes KERAS_CODE word for word, and the lab builds its layers from it too.
"""
from __future__ import annotations

from rnnlab.cells import lstm, terms
from rnnlab.cells.cell import Cell
from rnnlab.cells.maths import project, sigmoid, starting_states, unroll

# The states carried from step to step: the output h and the cell state c.
STATES = ("hidden", "cell_state")


def weight_shapes(inputs: int, units: int) -> dict[str, tuple[tuple[int, ...], ...]]:
    """Keras's LSTM layout (blocks i, f, g, o) plus one peephole weight per unit for i, f, o."""
    width = 4 * units
    return {"kernel": ((inputs, width),), "recurrent_kernel": ((units, width),),
            "bias": ((width,),), "peephole_weights": ((3, units),)}


def step(x, weights, act, mask, initial=None):
    """The peephole LSTM over a batch (see rnnlab.cells.cell.Step)."""
    recurrent_kernel = weights["recurrent_kernel"]
    peek_i, peek_f, peek_o = weights["peephole_weights"]
    u = recurrent_kernel.shape[0]

    def update(xz, state):
        z = xz + state["hidden"] @ recurrent_kernel
        c_previous = state["cell_state"]
        i = sigmoid(z[:, :u] + peek_i * c_previous)
        f = sigmoid(z[:, u:2 * u] + peek_f * c_previous)
        g = act(z[:, 2 * u:3 * u])
        c = f * c_previous + i * g
        o = sigmoid(z[:, 3 * u:] + peek_o * c)
        return {"input_gate": i, "forget_gate": f, "candidate": g, "output_gate": o,
                "cell_state": c, "hidden": o * act(c)}

    return unroll(project(x, weights["kernel"]) + weights["bias"],
                  starting_states(STATES, x.shape[0], u, initial), update, mask)


def by_hand(x, state, weights, activation, unit):
    """One unit of the peephole LSTM at one step, term by term (see rnnlab.cells.cell.ByHand).

    i and f peek at the old cell state; o is computed after c_t and peeks at the new one."""
    h, c_previous = state["hidden"], state["cell_state"][unit]
    peek_i, peek_f, peek_o = weights["peephole_weights"][:, unit]
    old = "the old cell state"
    i = lstm.block_by_hand(x, h, weights, unit, 0, extra=(
        terms.peephole_term(peek_i, c_previous, "p_i", "c_{t-1}", old),))
    f = lstm.block_by_hand(x, h, weights, unit, 1, extra=(
        terms.peephole_term(peek_f, c_previous, "p_f", "c_{t-1}", old),))
    g = lstm.block_by_hand(x, h, weights, unit, 2, activation)
    cell = lstm.cell_update(i, f, g, c_previous)
    o = lstm.block_by_hand(x, h, weights, unit, 3, extra=(
        terms.peephole_term(peek_o, cell.value, "p_o", "c_t", "the new cell state"),),
        note="The output gate peeks at the NEW cell state c_t, worked out below.")
    hidden = lstm.output_update(o, cell.value, activation)
    return terms.CellStep((i, f, g, o), (cell, hidden), hidden.value)


# The Keras 3 layer, as the generated script shows it (`keras` and `layers` in scope).
KERAS_CODE = '''
@keras.saving.register_keras_serializable(package="rnnlab")
class PeepholeLSTMCell(layers.Layer):
    """One step of an LSTM whose gates also read the cell state c.

    i = s(x Ki + h Ri + pi * c + bi)      f: the same with Kf, Rf, pf, bf
    g = act(x Kg + h Rg + bg)             c_new = f * c + i * g
    o = s(x Ko + h Ro + po * c_new + bo)  h_new = o * act(c_new)
    """

    def __init__(self, units, activation="tanh", dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.state_size = [units, units]  # h and c
        self.output_size = units
        # This batch's dropout masks, drawn by PeepholeLSTM.call.
        self.input_masks = self.recurrent_masks = None

    def build(self, input_shape):
        units = self.units
        self.kernel = self.add_weight(
            shape=(input_shape[-1], 4 * units), name="kernel",
            initializer="glorot_uniform")
        self.recurrent_kernel = self.add_weight(
            shape=(units, 4 * units), name="recurrent_kernel",
            initializer="orthogonal")

        def forget_gate_open(shape, dtype=None):  # as in Keras's LSTM
            one = keras.ops.ones(units, dtype=dtype)
            zero = keras.ops.zeros(units, dtype=dtype)
            return keras.ops.concatenate([zero, one, zero, zero])

        self.bias = self.add_weight(
            shape=(4 * units,), name="bias", initializer=forget_gate_open)
        # Rows p_i, p_f, p_o. Zero at first: a new cell is a plain LSTM.
        self.peephole_weights = self.add_weight(
            shape=(3, units), name="peephole_weights", initializer="zeros")

    def call(self, inputs, states, training=False):
        h_old, c_old = states
        x = self.dropped(inputs, self.input_masks, training)
        h = self.dropped(h_old, self.recurrent_masks, training)
        if len(x) == len(h) == 1:  # the same x and h for every block
            z = keras.ops.split(keras.ops.matmul(x[0], self.kernel)
                                + keras.ops.matmul(h[0], self.recurrent_kernel)
                                + self.bias, 4, axis=-1)
        else:  # a dropout mask per block (i, f, g, o), as in Keras's LSTM
            kernels = keras.ops.split(self.kernel, 4, axis=1)
            recurrents = keras.ops.split(self.recurrent_kernel, 4, axis=1)
            biases = keras.ops.split(self.bias, 4)
            z = [keras.ops.matmul(x[k % len(x)], kernels[k])
                 + keras.ops.matmul(h[k % len(h)], recurrents[k])
                 + biases[k] for k in range(4)]
        peek = self.peephole_weights
        i = keras.ops.sigmoid(z[0] + peek[0] * c_old)
        f = keras.ops.sigmoid(z[1] + peek[1] * c_old)
        c = f * c_old + i * self.activation(z[2])
        o = keras.ops.sigmoid(z[3] + peek[2] * c)
        h_new = o * self.activation(c)
        return h_new, [h_new, c]

    def draw_masks(self, like, rate):
        """This batch's dropout masks for values shaped like `like`: one per
        block with recurrent dropout, else one (as Keras's LSTM draws them)."""
        if rate == 0:
            return None
        ones = keras.ops.ones_like(like)
        return [keras.random.dropout(ones, rate, seed=self.seed_generator)
                for _ in range(4 if self.recurrent_dropout > 0 else 1)]

    @staticmethod
    def dropped(values, masks, training):
        """`values` through each mask while training, else `values` alone."""
        if not training or masks is None:
            return [values]
        return [values * mask for mask in masks]

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": keras.activations.serialize(self.activation),
                "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed}


@keras.saving.register_keras_serializable(package="rnnlab")
class PeepholeLSTM(layers.RNN):
    """An LSTM layer with peephole connections (Gers & Schmidhuber 2000)."""

    def __init__(self, units, activation="tanh", dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        cell = PeepholeLSTMCell(units, activation, dropout, recurrent_dropout,
                                seed, name="peephole_lstm_cell")
        super().__init__(cell, **kwargs)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        # Variational dropout: one mask per sequence, the same at every step.
        cell = self.cell
        if training:
            batch = keras.ops.shape(sequences)[0]
            cell.input_masks = cell.draw_masks(sequences[:, 0], cell.dropout)
            cell.recurrent_masks = cell.draw_masks(
                self.get_initial_state(batch)[0], cell.recurrent_dropout)
        try:
            return super().call(sequences, initial_state=initial_state,
                                mask=mask, training=training)
        finally:
            cell.input_masks = cell.recurrent_masks = None

    # The settings Keras's own recurrent layers show.
    units = property(lambda self: self.cell.units)
    activation = property(lambda self: self.cell.activation)
    dropout = property(lambda self: self.cell.dropout)
    recurrent_dropout = property(lambda self: self.cell.recurrent_dropout)

    def get_config(self):
        config = super().get_config()
        cell = config.pop("cell")["config"]
        return {**config, **{key: cell[key] for key in (
            "units", "activation", "dropout", "recurrent_dropout", "seed")}}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
'''

CELL = Cell(
    name="PeepholeLSTM",
    title="Peephole LSTM",
    in_a_sentence="a peephole LSTM",
    description="An LSTM whose gates also read the cell state, so they can act on what it "
                "holds.",
    layer_prefix="peephole_lstm",
    colour="#17becf",
    races_by_default=False,
    weight_shapes=weight_shapes,
    step=step,
    by_hand=by_hand,
    traces={
        "input_gate": "input gate i (1 = write the candidate; it also reads c_{t-1})",
        "forget_gate": "forget gate f (1 = keep the old cell state; it also reads c_{t-1})",
        "candidate": "candidate c~ (new content proposed for the cell)",
        "output_gate": "output gate o (1 = show the cell state in h; it also reads c_t)",
        "cell_state": "cell state c (the long-term memory)",
        "hidden": "hidden state h (the layer's output at this step)",
    },
    gates=("input_gate", "forget_gate", "output_gate"),
    # A value means what it means in an LSTM; only how the gates reach it differs.
    meanings=lstm.CELL.meanings,
    parameter_formula="4 x (U x (F + U) + U) + 3 x U",
    count_parameters=lambda units, inputs: 4 * (units * (inputs + units) + units) + 3 * units,
    keras_class="PeepholeLSTM",
    keras_definitions=KERAS_CODE,
    states=STATES,
)
