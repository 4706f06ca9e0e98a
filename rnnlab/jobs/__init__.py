"""Jobs: everything about a run except the training itself.

A run is a row in the store (`store`: SQLite, the single source of truth and the queue; its
rows decoded are `records`), a folder of files (`artifacts`: the one place that knows their
names and formats), and a process that a supervisor starts for it (`supervisor`); it belongs to
an owner, whose name is cleaned and
counted by `owners`. Who is who in the class is `people` (a joined name, signed into a token by
`tokens`); the per-student and rate limits are `limits`. Pages talk to `runs`: submit, watch,
cancel, list, delete, each checked against who asks. `predictions` keeps the class's guesses
about a race or a sweep and whether the teacher has revealed them. Nothing here imports
TensorFlow; the training process itself lives in rnnlab.trainer.
"""
