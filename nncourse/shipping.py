"""Shipping a trained classifier: export it, run it without PyTorch, and feed it real photos.

- ``export_torch(model, path)``      ``torch.export`` of the model (eval mode, any batch size)
  saved as a ``.pt2`` file; ``load_torch_export(path)`` gives back a callable module
- ``export_onnx(model, path)``       the model as ONNX (opset ``ONNX_OPSET``, batch axis dynamic,
  input ``image (N, 1, 28, 28)``, output ``logits (N, K)``), checked with ``onnx.checker``
- ``onnx_predict(path, X)``          the logits of an ONNX model run by ``onnxruntime``
- ``load_image(path)``               a photo file as a PIL image; a missing, empty, corrupt or
  non-image file raises :class:`ImageError` (a ``ValueError``) in one line naming the file
- ``preprocess_photo(image)``        a photo -> the ``(28, 28)`` float32 input the model expects;
  ``preprocess_steps(image)`` keeps what each step made (for showing them)
- ``load_predictor(model_path)``     ``.onnx``, ``.pt2`` or a ``.pt`` state dict of the tagger ->
  a function ``(N, 1, 28, 28) -> (N, K)`` logits, plus the class names
- ``predict_files(model_path, paths)`` -> one :class:`Prediction` per file (class and
  probability, or the error), what ``nncourse predict MODEL IMAGE...`` prints

Fashion-MNIST images are not photos: each is a product photo on a white background,
cropped to the item, shrunk so that its longer side fills 28 pixels, turned grey and
inverted (the item bright on black). A phone photo needs the same treatment before the
model can make sense of it; :func:`preprocess_photo` applies it step by step.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from .datasets import FASHION_CLASSES
from .numpy_mlp import softmax
from .tagger import FASHION7_CLASSES, TAGGER_NAMES, build_tagger_cnn

ONNX_OPSET = 17          # supported by the installed onnx (up to 28) and onnxruntime
SIZE = 28                # the model's input: (N, 1, 28, 28)


def _example(model: torch.nn.Module) -> torch.Tensor:
    p = next(model.parameters(), None)
    dtype = p.dtype if p is not None else torch.float32
    return torch.zeros(2, 1, SIZE, SIZE, dtype=dtype)          # (2, 1, 28, 28): batch 2 keeps the axis dynamic


# ------------------------------------------------------------------ export
def export_torch(model: torch.nn.Module, path: Path | str) -> Path:
    """Export ``model`` (put in eval mode) with ``torch.export`` for ``(N, 1, 28, 28)``
    inputs of any batch size ``N`` and save the program to ``path`` (``.pt2``)."""
    path = Path(path)
    model.eval()
    batch = torch.export.Dim("batch", min=1)
    program = torch.export.export(model, (_example(model),), dynamic_shapes=({0: batch},))
    torch.export.save(program, path)
    return path


def load_torch_export(path: Path | str) -> torch.nn.Module:
    """The module of a program saved by :func:`export_torch`: call it on ``(N, 1, 28, 28)``."""
    return torch.export.load(str(path)).module()


def export_onnx(model: torch.nn.Module, path: Path | str, opset: int = ONNX_OPSET) -> Path:
    """Write ``model`` (put in eval mode) as an ONNX file: input ``image (N, 1, 28, 28)``,
    output ``logits (N, K)``, the batch axis ``N`` dynamic; check it with ``onnx.checker``.

    Uses PyTorch's TorchScript-based exporter (``dynamo=False``): the newer exporter needs
    the ``onnxscript`` package, which the course does not install; for a plain CNN both
    write the same operators. Its deprecation warning is silenced here.
    """
    import onnx

    path = Path(path)
    model.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        torch.onnx.export(model, (_example(model),), str(path), dynamo=False, opset_version=opset,
                          input_names=["image"], output_names=["logits"],
                          dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}})
    onnx.checker.check_model(str(path))
    return path


def _session(path: Path | str):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1            # a small model: one thread, and the same numbers every run
    options.log_severity_level = 3              # errors only
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _check_batch(X) -> np.ndarray:
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 4 or X.shape[1:] != (1, SIZE, SIZE):
        raise ValueError(f"X must be (N, 1, {SIZE}, {SIZE}), got shape {X.shape}")
    return np.ascontiguousarray(X)


def onnx_predict(path: Path | str, X) -> np.ndarray:
    """Run the ONNX model at ``path`` with onnxruntime on ``X (N, 1, 28, 28)`` (pixels in
    [0, 1]) and return its output, the logits ``(N, K)`` as float32."""
    X = _check_batch(X)
    session = _session(path)
    return session.run(None, {session.get_inputs()[0].name: X})[0]     # (N, K)


# ------------------------------------------------------------------ images
class ImageError(ValueError):
    """A file that cannot be read as an image; ``str(err)`` is ``"<path>: <reason>"``."""

    def __init__(self, path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


def load_image(path: Path | str) -> Image.Image:
    """Open and decode the image file at ``path`` (any format PIL reads: PNG, JPEG, ...),
    turned upright by its EXIF orientation tag (phones store photos sideways).

    Raises :class:`ImageError` (a ``ValueError``), one line naming the file and the reason,
    for a missing file, an empty file, a file that is not an image and a corrupt or
    truncated image.
    """
    path = Path(path)
    if not path.is_file():
        raise ImageError(path, "no such file")
    if path.stat().st_size == 0:
        raise ImageError(path, "empty file")
    try:
        with Image.open(path) as img:
            img.load()                           # decode now: a truncated file fails here
            img = ImageOps.exif_transpose(img)
    except UnidentifiedImageError:
        raise ImageError(path, "not an image (unrecognised format)") from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as err:
        detail = (str(err).splitlines() or [type(err).__name__])[0]
        raise ImageError(path, f"corrupt image ({detail})") from None
    return img


def _grey(image) -> np.ndarray:
    """Step 1: luminance ``L = 0.299 R + 0.587 G + 0.114 B`` (PIL's ``convert("L")``) as
    float64 ``(H, W)`` in [0, 255]; a transparent background is made white first."""
    if isinstance(image, np.ndarray):
        a = image
        if a.dtype != np.uint8 or not (a.ndim == 2 or (a.ndim == 3 and a.shape[2] in (3, 4))):
            raise ValueError(f"image must be a PIL image or a uint8 array (H, W), (H, W, 3) or (H, W, 4), "
                             f"got {a.dtype} array of shape {a.shape}")
        image = Image.fromarray(a)
    if not isinstance(image, Image.Image):
        raise ValueError(f"image must be a PIL image or a uint8 array, got {type(image).__name__}")
    if image.width < 1 or image.height < 1:
        raise ValueError(f"image must have at least one pixel, got size {image.size}")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return np.asarray(image.convert("L"), dtype=np.float64)


class PreprocessSteps(NamedTuple):
    """What :func:`preprocess_photo` computes on the way, for showing it step by step."""
    grey: np.ndarray          # (H, W) float64 in [0, 255]: step 1
    background: float         # step 2: the median of the border pixels
    box: tuple[int, int, int, int]   # step 3: (top, left, side, side) of the square crop, in
                                     # photo pixels (it may reach outside the photo)
    square: np.ndarray        # (S, S) float64: the crop, background outside the photo
    small: np.ndarray         # (28, 28) float64 in [0, 255]: step 4, resized
    x: np.ndarray             # (28, 28) float32 in [0, 1]: step 5, the model's input


def preprocess_photo(image, margin: float = 0.0, threshold: float = 30.0) -> np.ndarray:
    """A photo of one item (PIL image or uint8 array) -> ``(28, 28)`` float32 in [0, 1],
    as Fashion-MNIST's images are: the item bright on black, filling the square.

    1. Greyscale: luminance (transparent pixels count as white).
    2. Background: the median of the pixels on the image's border (the item should
       not touch the border all around).
    3. Crop to the item: the bounding box of the pixels that differ from the background
       by more than ``threshold`` (of 255), widened by ``margin`` times its longer side on
       every side and made square around its centre (the part outside the photo is
       filled with the background). No such pixel: the whole photo, made square.
       Fashion-MNIST's items touch the frame (their longer side is 28 pixels), so the
       default margin is 0: on simulated uploads (``nncourse.uploads``) margins of 2%,
       4% and 8% lowered the mean correlation with the original from 0.86 to 0.84,
       0.79 and 0.70 (threshold 40; the default 30 gives 0.87 at margin 0).
    4. Resize to 28 x 28 with antialiasing (PIL's Lanczos filter averages over each
       output pixel's footprint, so that thin stripes do not alias).
    5. Invert and scale: on a light background (median >= 128, a product photo)
       ``(background - L) / background``, so that the background is 0 and black is 1; on
       a dark one ``(L - background) / (255 - background)``; then clipped to [0, 1].

    :func:`preprocess_steps` returns the intermediate results too.
    """
    return preprocess_steps(image, margin, threshold).x


def preprocess_steps(image, margin: float = 0.0, threshold: float = 30.0) -> PreprocessSteps:
    """:func:`preprocess_photo`, keeping what each of its five steps made (its ``x`` is
    ``preprocess_photo``'s result)."""
    if not 0 <= margin < 1 or not 0 < threshold < 255:
        raise ValueError(f"margin must be in [0, 1) and threshold in (0, 255), got {margin} and {threshold}")
    g = _grey(image)                                                        # (H, W) in [0, 255]
    H, W = g.shape
    border = np.concatenate([g[0], g[-1], g[1:-1, 0], g[1:-1, -1]])
    bg = float(np.median(border))
    ys, xs = np.nonzero(np.abs(g - bg) > threshold)
    if len(ys):
        top, bottom, left, right = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    else:
        top, bottom, left, right = 0, H, 0, W
    side = max(bottom - top, right - left)
    side = int(round(side * (1 + 2 * margin)))
    cy, cx = (top + bottom) / 2, (left + right) / 2
    y0, x0 = int(round(cy - side / 2)), int(round(cx - side / 2))
    square = np.full((side, side), bg)                                      # (S, S) background outside the photo
    sy0, sx0 = max(y0, 0), max(x0, 0)
    sy1, sx1 = min(y0 + side, H), min(x0 + side, W)
    square[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = g[sy0:sy1, sx0:sx1]
    small = Image.fromarray(square.astype(np.float32), mode="F").resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    s = np.asarray(small, dtype=np.float64)                                 # (28, 28)
    x = (bg - s) / max(bg, 1.0) if bg >= 128 else (s - bg) / max(255.0 - bg, 1.0)
    return PreprocessSteps(g, bg, (y0, x0, side, side), square, s, np.clip(x, 0.0, 1.0).astype(np.float32))


# ------------------------------------------------------------------ prediction
def class_names(num_classes: int) -> tuple[str, ...]:
    """Names for a model with ``num_classes`` outputs: the tagger's three, the seven
    pre-training classes, Fashion-MNIST's ten, else ``class 0``, ``class 1``, ..."""
    if num_classes == len(TAGGER_NAMES):
        return TAGGER_NAMES
    if num_classes == len(FASHION7_CLASSES):
        return tuple(FASHION_CLASSES[c] for c in FASHION7_CLASSES)
    if num_classes == len(FASHION_CLASSES):
        return FASHION_CLASSES
    return tuple(f"class {k}" for k in range(num_classes))


def load_predictor(model_path: Path | str) -> tuple[Callable[[np.ndarray], np.ndarray], tuple[str, ...]]:
    """``(predict, names)``: ``predict(X (N, 1, 28, 28) float32) -> logits (N, K)`` for the
    model file (``.onnx`` run by onnxruntime, ``.pt2`` from :func:`export_torch`, or ``.pt``
    holding a ``state_dict`` of ``nncourse.tagger.build_tagger_cnn(K)``) and the K class
    names. A file that is missing or not such a model raises ``ValueError``."""
    path = Path(model_path)
    if not path.is_file():
        raise ValueError(f"{path}: no such model file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".onnx":
            session = _session(path)
            name = session.get_inputs()[0].name
            K = session.get_outputs()[0].shape[-1]
            if not isinstance(K, int):
                raise ValueError("the output's class axis is not fixed")
            return (lambda X: session.run(None, {name: _check_batch(X)})[0]), class_names(K)
        if suffix == ".pt2":
            module = load_torch_export(path)
            K = int(module(torch.zeros(1, 1, SIZE, SIZE)).shape[-1])
        elif suffix == ".pt":
            state = torch.load(path, map_location="cpu", weights_only=True)
            if not isinstance(state, dict) or "head.weight" not in state:
                raise ValueError("not a state dict of the tagger CNN (no head.weight)")
            module = build_tagger_cnn(state["head.weight"].shape[0], width=state["head.weight"].shape[1] // 4)
            module.load_state_dict(state)
            module.eval()
            K = module.head.out_features
        else:
            raise ValueError(f"unknown model format {suffix or '(no suffix)'}: expected .onnx, .pt2 or .pt")
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from None
    except Exception as err:                     # onnxruntime, torch.load, zip errors: one line
        detail = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise ValueError(f"{path}: cannot load the model ({detail})") from None

    def predict(X):
        with torch.no_grad():
            return module(torch.from_numpy(_check_batch(X))).numpy()            # (N, K)

    return predict, class_names(K)


class Prediction(NamedTuple):
    """One file's answer: the class name and its probability, or ``error`` (then the
    other two are None)."""
    file: str
    label: str | None
    probability: float | None
    error: str | None = None


def predict_files(model_path: Path | str, paths: Sequence[Path | str]) -> list[Prediction]:
    """Classify each image file in ``paths`` (load, :func:`preprocess_photo`, the model,
    softmax): one :class:`Prediction` per path, in order. A file that cannot be read gets
    its error and the others are still classified; a bad model raises ``ValueError``."""
    predict, names = load_predictor(model_path)
    rows: list[Prediction | None] = [None] * len(paths)
    good, inputs = [], []
    for i, p in enumerate(paths):
        try:
            inputs.append(preprocess_photo(load_image(p)))               # (28, 28)
            good.append(i)
        except ImageError as err:
            rows[i] = Prediction(str(p), None, None, err.reason)
    if good:
        probs = softmax(np.asarray(predict(np.stack(inputs)[:, None]), dtype=np.float64))   # (n, 1, 28, 28) -> (n, K)
        for i, pr in zip(good, probs):
            k = int(pr.argmax())
            rows[i] = Prediction(str(paths[i]), names[k], float(pr[k]))
    return rows
