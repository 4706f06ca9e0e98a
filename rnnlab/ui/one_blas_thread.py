"""The web process's NumPy multiplies matrices on one thread: set before NumPy is first imported.

NumPy hands matrix products to OpenBLAS, which starts one thread per core as NumPy is imported
and keeps each spinning for a moment after every product, waiting for more work. The web server's
products are small (the Inside page's replay of a cell over a batch of reviews, a text run's
sampler, the unit finder): one thread computes them as fast (bench/gates.py, the same run with
and without), and the spinning is CPU taken from the pages. Importing NumPy cost 0.14-0.20 s of
CPU on two cores, against 0.06 s on one thread (the web process imports it at the first page
that computes: rnnlab.ui.numpy_after_home).

OpenBLAS reads OPENBLAS_NUM_THREADS once, when it is loaded, so both entry points import this
module before anything else (serve.py, app.py). A value already set, by whoever starts the server,
is kept. The supervisor and workers the server starts inherit it: they train with TensorFlow,
whose thread pools are its own, and their NumPy products are as small (a text run's sample of a
few hundred characters after each epoch).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
