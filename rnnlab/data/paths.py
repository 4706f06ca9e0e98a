"""Where the lab looks for data files, where it caches what it derives, and the data error.

Three folders, each overridable by an environment variable:

- the data folder (`RNNLAB_DATA_DIR`, default `datasets/`): files a teacher put there by hand,
  e.g. the Stanford `aclImdb` folder or the Jena CSV; read only.
- the download folder (`RNNLAB_DOWNLOAD_DIR`, default `datasets/downloads/`): where the trainer
  saves what it fetches from the internet (rnnlab.trainer.downloads, with keras.utils.get_file).
- the cache folder (`RNNLAB_CACHE_DIR`, default `datasets/cache/`): processed arrays, so the
  second load of a dataset takes well under a second.

The data loaders only read: a missing file is a DataError saying what is missing and where to put
it (`require_file`). Downloading needs Keras, hence TensorFlow, so it belongs to the trainer.

A cache only saves time, so it must never cost a run: `read_cache` treats a cache file that does
not hold what it should (cut short by a full disk, overwritten by another program, written by
other code) as absent. It logs a warning naming the file, deletes it, and the loader rebuilds it
from the source.
"""
from __future__ import annotations

import logging
import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import Callable, TypeVar

import numpy as np

from rnnlab import PROJECT_ROOT

REPO_DATASETS = PROJECT_ROOT / "datasets"
logger = logging.getLogger(__name__)
Cached = TypeVar("Cached")


class DataError(ValueError):
    """A dataset file is missing, truncated or malformed; the message names it and says what to do."""


def data_dir() -> Path:
    """The folder searched first for dataset files (env RNNLAB_DATA_DIR, else datasets/)."""
    return Path(os.environ.get("RNNLAB_DATA_DIR") or REPO_DATASETS)


def download_dir() -> Path:
    """The folder the trainer downloads into (env RNNLAB_DOWNLOAD_DIR, else datasets/downloads)."""
    return Path(os.environ.get("RNNLAB_DOWNLOAD_DIR") or REPO_DATASETS / "downloads")


def cache_dir() -> Path:
    """The folder for processed arrays (env RNNLAB_CACHE_DIR, else datasets/cache); created on use."""
    path = Path(os.environ.get("RNNLAB_CACHE_DIR") or REPO_DATASETS / "cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


def find_file(*names: str) -> Path | None:
    """The first of `names` (glob patterns allowed) in the data folder, its subfolders, or the downloads.

    Folders are searched in that order and, within a folder, names in the order given, so the
    caller lists its preferred format first.
    """
    for folder in (data_dir(), download_dir()):
        if not folder.is_dir():
            continue
        for name in names:
            matches = sorted(folder.glob(name)) + sorted(folder.glob(f"*/{name}"))
            if matches:
                return matches[0]
    return None


def require_file(*names: str, missing: str) -> Path:
    """find_file(*names), or a DataError when none of them is on this computer.

    Args:
        names: file or folder names, glob patterns allowed, preferred first (see find_file).
        missing: the error's message: what is missing and where to put it.
    Raises:
        DataError: none of `names` is in the data folder, its subfolders or the downloads.
    """
    found = find_file(*names)
    if found is None:
        raise DataError(missing)
    return found


def cache_file(prefix: str, source: Path, version: int) -> Path:
    """The cache file for what was derived from `source`: one per file name, size, mtime and version.

    Any change to the source file, or a new `version` of the code that derives from it, gives a
    new name, so a stale cache is never read.
    """
    stat = source.stat()
    stamp = f"{source.name}-{stat.st_size}-{stat.st_mtime_ns}-v{version}"
    return cache_dir() / f"{prefix}-{re.sub(r'[^A-Za-z0-9.-]', '_', stamp)}.npz"


def save_npz_atomically(path: Path, **arrays: np.ndarray) -> None:
    """np.savez to a temporary name, then rename: a reader never sees half a cache."""
    partial = path.with_suffix(".partial.npz")
    np.savez(partial, **arrays)
    partial.replace(path)


def read_cache(path: Path, read: Callable[[np.lib.npyio.NpzFile], Cached]) -> Cached | None:
    """What `read` makes of the arrays in the cache file `path`, or None to rebuild it.

    Args:
        path: a cache file (see cache_file); it may not exist yet.
        read: builds the cached value from the open .npz and raises ValueError (or KeyError,
            TypeError) when the arrays are not what the loader wrote.
    Returns:
        The value, or None when there is no cache file or it does not hold what it should; a
        damaged file is then deleted and a warning naming it is logged, and the caller rebuilds
        and saves it.
    """
    if not path.exists():
        return None
    try:
        with np.load(path) as saved:  # allow_pickle stays off: a cache holds plain arrays only
            if not isinstance(saved, np.lib.npyio.NpzFile):
                raise ValueError("it is a single array, not an .npz archive")
            return read(saved)
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile,
            zlib.error) as err:
        logger.warning("The cache file %s does not hold what it should (%s): it is deleted and "
                       "rebuilt from the source.", path, err)
        path.unlink(missing_ok=True)
        return None
