"""The network on paper: what a RunConfig's model looks like, worked out without TensorFlow.

`naming` gives every layer the name Keras knows it by; `summary` computes the layers' output
shapes and parameter counts; `codegen` writes the Keras code that builds the model; `replay` runs
a trained model's saved weights (found by their Keras paths in `saved_weights`) through the cell
equations of rnnlab.cells in NumPy, keeping every gate and state; `by_hand` opens one unit at one
step, every term with its number; `notebook` (with `notebook_data`, `notebook_weather` and
`notebook_text`) writes a run as a Jupyter notebook that reruns it with plain Keras. Tests hold
each of them against Keras itself.
"""
