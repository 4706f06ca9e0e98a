"""Lessons: the experiments the pages run, as pure functions of configs, runs and their rows.

`live` turns metric rows into curves, progress and an ETA; `baseline` puts a weather run's
errors in degrees C and says in words whether it beats the common-sense baseline; `race` trains
one model with every cell on equal terms, tabulates the result and says who won and why;
`sweep` runs the race at several lengths of the long-memory task; `estimate` says how long a
batch of runs will take, from measured seconds per epoch; `trials` reads a hyperparameter search
(and says when every trial is at chance); `predictions` asks a race's or a sweep's question,
finds its true answer and tallies the class's guesses; `inside` prepares the inputs whose gates
the Inside-the-cell page shows (a passage of text labelled by its characters among them);
`unit_finder` ranks a language model's units by how well they track a feature of the text
(inside quotes or brackets, the position in the line, inside a word); `meanings` says in words
what a score, a gradient or a gate's saturation means, for the charts' tooltips; `task_shapes`
names the shape of a task (many-to-one, many-to-many, one-to-many) in a sentence. No
Streamlit, no TensorFlow.
"""
