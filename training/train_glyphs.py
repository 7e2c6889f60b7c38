"""Train the comb-box glyph CNN on the CPU and export it to ONNX for ``extractors.glyphs``.

Run from the repository root (about 45 minutes on one core: 10 to draw the 195,000 training
boxes, 35 to train; never run by tests or installs)::

    .venv/bin/python -m training.train_glyphs --out extractors/models/glyphs.onnx

Needs ``torch`` (training only; the reader runs the ONNX file through OpenCV).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from extractors.glyphs import GLYPH_SIZE, MODEL_PATH, normalise_glyph
from training.feature_output import add_feature_output
from training.glyph_data import CLASSES, build_training_set, held_out_hand_crops
from training.glyph_sources import list_fonts, load_hand_samples, split_writers

log = logging.getLogger(__name__)


def _block(c_in: int, c_out: int, *, stride: int = 1, k: int = 3) -> list[nn.Module]:
    conv = nn.Conv2d(c_in, c_out, k, stride=stride, padding=k // 2, bias=False)
    return [conv, nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]


def glyph_net(n_classes: int) -> nn.Sequential:
    """About 0.3 M parameters and 15 M multiply-adds per glyph.

    The head keeps a 3 x 3 grid instead of global pooling, because where a mark sits in the
    box (the context channel) is what tells ' from , apart.
    """
    return nn.Sequential(
        *_block(2, 16, stride=2, k=5),  # 48 -> 24
        *_block(16, 32),
        nn.MaxPool2d(2),  # -> 12
        *_block(32, 64),
        *_block(64, 64),
        nn.MaxPool2d(2),  # -> 6
        *_block(64, 128),
        *_block(128, 128),
        nn.AvgPool2d(2),  # -> 3
        nn.Flatten(),
        nn.Linear(128 * 9, 128),
        nn.ReLU(inplace=True),
        nn.Dropout(0.3),
        nn.Linear(128, n_classes),
    )


def _load_or_build(cache: Path, n_per_class: int, workers: int) -> tuple[np.ndarray, np.ndarray]:
    if cache.exists():
        data = np.load(cache)
        return data["x"], data["y"]
    start = time.monotonic()
    x, y = build_training_set(n_per_class=n_per_class, workers=workers)
    np.savez(cache, x=x, y=y)
    log.info("built %d samples in %.0f s", len(y), time.monotonic() - start)
    return x, y


def _validation() -> tuple[torch.Tensor, torch.Tensor]:
    """Held-out writers' real samples, normalised the way the reader does."""
    crops = [c for c in held_out_hand_crops() if c.source == "hand"]
    x = np.stack([normalise_glyph(c.crop).tensor for c in crops])
    y = np.array([CLASSES.index(c.label) for c in crops])
    return torch.from_numpy(x), torch.from_numpy(y)


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(x[i : i + 512]).argmax(1) for i in range(0, len(x), 512)])
    model.train()
    return float((pred == y).float().mean())


def train(model: nn.Module, x: np.ndarray, y: np.ndarray, args: argparse.Namespace) -> None:
    """AdamW with a one-cycle schedule and light label smoothing, uint8 batches to float."""
    xs, ys = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    steps = args.epochs * (len(ys) // args.batch)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    val_x, val_y = _validation()
    gen = torch.Generator().manual_seed(0)
    for epoch in range(args.epochs):
        start, order = time.monotonic(), torch.randperm(len(ys), generator=gen)
        for i in range(len(ys) // args.batch):
            idx = order[i * args.batch : (i + 1) * args.batch]
            opt.zero_grad()
            loss = loss_fn(model(xs[idx].float() / 255.0), ys[idx])
            loss.backward()
            opt.step()
            sched.step()
            if i % 200 == 199:
                log.info("epoch %d step %d loss %.3f", epoch + 1, i + 1, loss.item())
        log.info(
            "epoch %d loss %.3f held-out writers %.4f (%.0f s)",
            epoch + 1, float(loss), accuracy(model, val_x, val_y), time.monotonic() - start,
        )  # fmt: skip


def export(model: nn.Module, out: Path, meta: dict) -> None:
    """Write the ONNX graph (fixed 2 x 48 x 48 input, any batch) and its JSON sidecar."""
    model.eval()
    dummy = torch.zeros(1, 2, GLYPH_SIZE, GLYPH_SIZE)
    torch.onnx.export(
        model, (dummy,), str(out), input_names=["glyph"], output_names=["logits"],
        dynamic_axes={"glyph": {0: "n"}, "logits": {0: "n"}}, opset_version=13, dynamo=False,
    )  # fmt: skip
    out.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    add_feature_output(out)  # the hidden layer, for the form reader's writer adaptation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/glyph_train.npz"))
    parser.add_argument("--n-per-class", type=int, default=3000)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x, y = _load_or_build(args.cache, args.n_per_class, args.threads)
    model = glyph_net(len(CLASSES))
    start = time.monotonic()
    train(model, x, y, args)
    held = sorted(split_writers(load_hand_samples()))
    meta = {
        "classes": CLASSES,
        "input": {"shape": [2, GLYPH_SIZE, GLYPH_SIZE], "dtype": "float32", "ink": 1.0},
        "preprocessing": "extractors.glyphs.normalise_glyph: channel 0 = ink cropped to its "
        "bounding box, aspect kept, longest side 40 px, centred in 48 x 48; channel 1 = the "
        "whole box's cleaned ink resized to 48 x 48",
        "training": {
            "samples": int(len(y)), "epochs": args.epochs,
            "seconds": round(time.monotonic() - start),
            "held_out_writers": held,
            "held_out_fonts": [f.name for f in list_fonts(held_out=True)],
        },
    }  # fmt: skip
    export(model, args.out, meta)
    log.info("wrote %s (%d bytes)", args.out, args.out.stat().st_size)


if __name__ == "__main__":
    main()
