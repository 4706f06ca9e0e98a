"""Data: the datasets the lessons read, as NumPy arrays, and the words that explain them.

`imdb` (movie reviews as word ids), `weather` (a temperature record cut into windows, with its
`jena` reader) and `synthetic` (the generated long-memory task) load and cache each dataset;
`paths` says where files are looked for and cached; `spec` gives the input shape a config implies
without loading anything; `explain` and `status` turn data into sentences for the Data and Home
pages. Nothing here downloads or imports TensorFlow: a missing file is a DataError that says where
to put it, and rnnlab.trainer.downloads fetches it when a run needs it.
"""
