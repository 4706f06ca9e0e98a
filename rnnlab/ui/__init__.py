"""The Streamlit side of the lab: the only rnnlab package that imports streamlit.

A page (pages/*.py) is a short script: widgets -> config -> one or two rnnlab calls -> render.
What pages share lives here, one job per module; pages import the modules they use
(`from rnnlab.ui import frame, state, widgets`), and this package re-exports nothing.

    state      where a tab's state lives: the URL (config, search, watched runs) and the
               session's carrier that keeps it across page switches
    identity   who is using this browser: the sidebar's join, leave and "I am the teacher", the
               signed cookie that keeps them across reloads; person() for everyone else
    widgets    the setting binder: a widget bound to one value of the tab's config or search
    actions    what a button does: act in its callback, hand the outcome to the page body;
               queue, cancel and delete as this tab's person, and whether they may
    teacher    the teacher's tools on the Runs page: the per-student limit, clearing the class
    frame      the page frame: header, "Show the code", tables of prose, rows of big numbers
    polling    the live panel that redraws itself from the run store while runs train
    loaders    datasets and trained runs read once per server, and downloads in a child process
    pickers    the Inside-the-cell page's input pickers, one per dataset
    step_view  the Inside-the-cell page's "one step, by hand": one unit at one step, its
               equations with the run's numbers, opened by the slider or a click on a heatmap
    unit_finder  the Inside-the-cell page's unit finder for a language model: which unit
               tracks a feature of the text, drawn under the characters
    imdb_panels  the Data page's review as the network receives it, words beside their ids
    build_panels  the Build page's summary table and the shape of the task, in words and drawn
    predictions  predict, then reveal: the class's guesses beside a race's or a sweep's result
    batches    a batch of runs in class (the race, the sweep): the preset picker, the estimate
               before starting, and one Cancel for the whole batch
    take_home  "Download as notebook": a run as a Jupyter notebook that reruns it with plain Keras
    writing    a language model's writing: its sample after every epoch, and the Generate panel
               (prompt, length, temperature) of a finished text run
"""
