"""The trainer: the only part of the lab that imports TensorFlow and Keras.

It runs in worker processes (`python -m rnnlab.trainer.worker RUN_ID`, started by
rnnlab.jobs.supervisor) and in the command line trainer (`python -m rnnlab train`), never in the
web server. `models` builds the Keras model for a RunConfig, `downloads` fetches a dataset that is
not on disk yet, `inputs` turns the datasets rnnlab.data loads into what model.fit takes (padded
reviews, tf.data windows), `training` fits and scores it, `reporting` streams its curves to the
store (or prints them, on the command line), `gradients` records the gradient through time,
`tuning` runs a keras-tuner search, and `worker` ties them to one run of the store, having
loaded Keras through `keras_import` (without scikit-learn, 0.7 s sooner).
`python -m rnnlab.trainer.downloads imdb|jena` is the Data page's download, in a child process.
"""
