"""The trainer: the only part of the lab that imports TensorFlow and Keras.

It runs in worker processes (`python -m rnnlab.trainer.worker RUN_ID`, started by
rnnlab.jobs.supervisor) and in the command line trainer (`python -m rnnlab train`), never in the
web server. `models` builds the Keras model for a RunConfig, `training` fits and scores it,
`reporting` streams its curves to the store, `gradients` records the gradient through time,
`tuning` runs a keras-tuner search, and `worker` ties them to one run of the store.
"""
