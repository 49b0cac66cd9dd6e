"""Byte-stable ``.npz`` files for the models shipped in ``matching/data``."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np


def save_npz(path: Path | str, arrays: Mapping[str, np.ndarray], compress: bool = True) -> None:
    """Write ``arrays`` as an ``.npz`` archive that ``np.load`` reads, byte for byte the same
    for the same arrays.

    ``np.savez_compressed`` stamps each member with the current time; here every member gets
    1980-01-01, so a rebuilt model file only changes in git when the model does.

    Parameters
    ----------
    path : path-like
        The file to write (replaced if it exists).
    arrays : mapping of str to ndarray
        Member name (without ``.npy``) to array; object arrays are refused (no pickles).
    compress : bool, default=True
        Deflate the members; off for data that does not compress (8-bit embeddings), which
        then reads without inflating.
    """
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, buffer.getvalue())
