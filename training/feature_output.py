"""Give the glyph model a second output: the 128 features its last layer classifies.

The form reader compares the boxes of one page in this space
(``extractors.writer_adaptation``): two boxes whose features nearly agree were written alike
by the same hand. The features are the network's own (after the hidden layer's ReLU), so the
classifier's weights do not change.

Run once on a model exported without them (``train_glyphs`` calls it on every export)::

    .venv/bin/python -m training.feature_output extractors/models/glyphs.onnx

Needs ``onnx`` (the ``train`` extra).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import onnx
from onnx import TensorProto, helper

FEATURES = "features"


def _hidden_output(graph: onnx.GraphProto) -> tuple[str, int]:
    """The tensor the last Gemm (the classifier) reads, the hidden layer after its ReLU, and
    its width (the classifier's weights are classes x width)."""
    gemms = [n for n in graph.node if n.op_type == "Gemm"]
    if len(gemms) < 2:
        raise ValueError("expected a hidden and a final fully connected layer")
    weights = {t.name: t for t in graph.initializer}[gemms[-1].input[1]]
    return gemms[-1].input[0], int(weights.dims[1])


def add_feature_output(path: Path) -> None:
    """Expose the hidden layer as output ``features`` and name it in the JSON sidecar."""
    model = onnx.load(str(path))
    graph = model.graph
    if any(o.name == FEATURES for o in graph.output):
        return
    hidden, width = _hidden_output(graph)
    graph.node.append(helper.make_node("Identity", [hidden], [FEATURES]))
    graph.output.append(helper.make_tensor_value_info(FEATURES, TensorProto.FLOAT, ["n", width]))
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    sidecar = path.with_suffix(".json")
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    meta["features"] = FEATURES
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    add_feature_output(parser.parse_args().model)


if __name__ == "__main__":
    main()
