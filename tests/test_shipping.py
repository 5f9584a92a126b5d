"""nncourse.shipping: exports that agree with PyTorch, photo preprocessing, image errors,
and the ``nncourse predict`` command on good and bad files."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from nncourse import shipping
from nncourse.datasets import fashion_mnist
from nncourse.shipping import (ImageError, export_onnx, export_torch, load_image, load_predictor,
                               load_torch_export, onnx_predict, predict_files, preprocess_photo)
from nncourse.tagger import TAGGER_NAMES, build_tagger_cnn
from nncourse.uploads import simulate_upload

pytestmark = pytest.mark.usefixtures("one_thread")
NNCOURSE = str(Path(sys.executable).with_name("nncourse"))
LINE = re.compile(r"^(?P<file>.+): (?P<label>T-shirt/top|Coat|Shirt) \((?P<p>[01]\.\d\d)\)$")


@pytest.fixture(scope="module")
def model():
    """A three-class tagger, seeded, whose batch norms have non-trivial running statistics
    (a few training-mode passes), in eval mode."""
    torch.manual_seed(0)
    m = build_tagger_cnn(3)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for _ in range(3):
            m(torch.rand(16, 1, 28, 28, generator=g))
    return m.eval()


@pytest.fixture(scope="module")
def batch():
    return torch.rand(5, 1, 28, 28, generator=torch.Generator().manual_seed(2))     # (5, 1, 28, 28)


@pytest.fixture(scope="module")
def exported(model, tmp_path_factory):
    d = tmp_path_factory.mktemp("models")
    state = d / "tagger.pt"
    torch.save(model.state_dict(), state)
    return {"onnx": export_onnx(model, d / "tagger.onnx"), "pt2": export_torch(model, d / "tagger.pt2"), "pt": state}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Good photos (two PNG, one JPEG) made from Fashion-MNIST test images by the simulated
    capture pipeline, and three bad files: text, a truncated PNG, an empty file."""
    d = tmp_path_factory.mktemp("photos")
    X, _ = fashion_mnist("test")
    rng = np.random.default_rng(0)
    good = []
    for i, ext in enumerate(["png", "jpg", "png"]):
        p = d / f"photo{i}.{ext}"
        Image.fromarray(simulate_upload(X[i], rng)).save(p)
        good.append(p)
    text = d / "notes.png"
    text.write_text("not a picture\n")
    truncated = d / "cut.png"
    truncated.write_bytes(good[0].read_bytes()[:400])
    empty = d / "empty.jpg"
    empty.write_bytes(b"")
    return {"good": good, "text": text, "truncated": truncated, "empty": empty}


# ---------------------------------------------------------------- export
def test_onnx_agrees_with_torch(model, batch, exported):
    with torch.no_grad():
        want = model(batch).numpy()                                         # (5, 3)
    got = onnx_predict(exported["onnx"], batch.numpy())
    assert got.shape == (5, 3)
    np.testing.assert_allclose(got, want, atol=1e-5, rtol=0)
    one = onnx_predict(exported["onnx"], batch[:1].numpy())                 # the batch axis is dynamic
    np.testing.assert_allclose(one, want[:1], atol=1e-5, rtol=0)


def test_torch_export_round_trip_agrees(model, batch, exported):
    loaded = load_torch_export(exported["pt2"])
    with torch.no_grad():
        want = model(batch)
        torch.testing.assert_close(loaded(batch), want, atol=1e-6, rtol=0)
        torch.testing.assert_close(loaded(batch[:1]), want[:1], atol=1e-6, rtol=0)


def test_export_puts_the_model_in_eval_mode(tmp_path):
    m = build_tagger_cnn(3).train()
    export_onnx(m, tmp_path / "m.onnx")
    assert not m.training


def test_onnx_predict_checks_the_shape(exported):
    with pytest.raises(ValueError, match=r"X must be \(N, 1, 28, 28\), got shape \(5, 28, 28\)"):
        onnx_predict(exported["onnx"], np.zeros((5, 28, 28)))


def test_every_model_format_predicts_the_same(batch, exported):
    logits = [load_predictor(exported[k])[0](batch.numpy()) for k in ("onnx", "pt2", "pt")]
    for other in logits[1:]:
        np.testing.assert_allclose(other, logits[0], atol=1e-5, rtol=0)
    assert load_predictor(exported["onnx"])[1] == TAGGER_NAMES


def test_a_bad_model_is_a_one_line_value_error(tmp_path):
    garbage = tmp_path / "m.onnx"
    garbage.write_bytes(b"\x00garbage")
    not_state = tmp_path / "m.pt"
    torch.save({"weight": torch.zeros(2)}, not_state)
    other = tmp_path / "m.h5"
    other.write_bytes(b"x")
    for path, why in [(garbage, "cannot load"), (not_state, "head.weight"), (other, "unknown model format"),
                      (tmp_path / "none.onnx", "no such model file")]:
        with pytest.raises(ValueError, match=why) as err:
            load_predictor(path)
        assert "\n" not in str(err.value) and str(path) in str(err.value)


# ---------------------------------------------------------------- preprocessing
def photo(h=200, w=300, box=(50, 90, 40, 80), level=230, item=20):
    """A light photo ``(h, w)`` uint8 with a dark rectangle at top, left, height, width."""
    g = np.full((h, w), level, np.uint8)
    t, l, bh, bw = box
    g[t:t + bh, l:l + bw] = item
    return g


def test_preprocess_crops_squares_inverts_and_scales():
    x = preprocess_photo(photo(box=(50, 90, 80, 40)))       # a 80-tall, 40-wide item
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert x.min() >= 0 and x.max() <= 1
    np.testing.assert_allclose(x[:, :6], 0, atol=0.02)      # background -> 0 (black), left and right of the item
    np.testing.assert_allclose(x[:, -6:], 0, atol=0.02)
    np.testing.assert_allclose(x[2:-2, 9:19], (230 - 20) / 230, atol=0.02)   # the item fills the height, bright
    assert x[14, 7] < x[14, 9]                              # its edges at 7 and 21: 40/80 of 28 = 14 columns


def test_preprocess_ignores_where_the_item_is():
    a = preprocess_photo(photo(box=(10, 20, 60, 50)))
    b = preprocess_photo(photo(box=(120, 230, 60, 50)))
    np.testing.assert_array_equal(a, b)


def test_preprocess_greyscale_rgb_and_transparency():
    g = photo()
    x = preprocess_photo(g)
    np.testing.assert_allclose(preprocess_photo(np.stack([g] * 3, axis=-1)), x, atol=1e-6)
    np.testing.assert_allclose(preprocess_photo(Image.fromarray(g)), x, atol=1e-6)
    rgba = np.zeros(g.shape + (4,), np.uint8)               # transparent black background, opaque dark item
    rgba[..., 3] = np.where(g == 20, 255, 0)
    rgba[..., :3] = np.where(g == 20, 20, 0)[..., None]
    y = preprocess_photo(rgba)                              # transparent counts as white: item bright, rest 0
    assert y[14, 14] > 0.9 and y[0, 14] < 0.02             # the wide item fills the width, not the height


def test_preprocess_of_a_fashion_mnist_image_is_itself():
    """A 28 x 28 image already bright on black, its item as tall as the image: the dark
    background is not inverted, the crop is the whole image, the resize the identity."""
    x = np.zeros((28, 28), np.uint8)
    x[:, 4:24] = np.linspace(60, 255, 20).astype(np.uint8)          # touches the top and the bottom
    np.testing.assert_allclose(preprocess_photo(x), x / 255, atol=1e-6)


def test_preprocess_of_a_blank_photo_is_black():
    np.testing.assert_array_equal(preprocess_photo(np.full((50, 60), 240, np.uint8)), 0)


def test_preprocess_steps_show_what_preprocess_photo_does():
    g = photo(box=(50, 90, 80, 40))                          # rows 50-129, columns 90-129
    steps = shipping.preprocess_steps(g)
    np.testing.assert_array_equal(steps.x, preprocess_photo(g))
    np.testing.assert_array_equal(steps.grey, g.astype(np.float64))
    assert steps.background == 230
    assert steps.box == (50, 70, 80, 80)                    # 80 x 80 around the item's centre
    np.testing.assert_array_equal(steps.square, g[50:130, 70:150])
    assert steps.small.shape == (28, 28)
    np.testing.assert_allclose(steps.x, np.clip((230 - steps.small) / 230, 0, 1), atol=1e-6)
    rgb = simulate_upload(fashion_mnist("test")[0][0], np.random.default_rng(0))
    np.testing.assert_array_equal(shipping.preprocess_steps(rgb, margin=0.1).x, preprocess_photo(rgb, margin=0.1))


@pytest.mark.parametrize("bad", [np.zeros((10, 10)), np.zeros((10,), np.uint8), np.zeros((4, 4, 2), np.uint8), "x"])
def test_preprocess_refuses_bad_input(bad):
    with pytest.raises(ValueError, match="image must be"):
        preprocess_photo(bad)


# ---------------------------------------------------------------- files
def test_load_image_reads_png_and_jpeg(files):
    for p in files["good"]:
        img = load_image(p)
        assert img.size[0] > 28


@pytest.mark.parametrize("kind, reason", [("text", "not an image"), ("truncated", "corrupt image"),
                                          ("empty", "empty file")])
def test_load_image_errors_are_one_line_and_name_the_file(files, kind, reason):
    with pytest.raises(ImageError) as err:
        load_image(files[kind])
    msg = str(err.value)
    assert isinstance(err.value, ValueError) and "\n" not in msg
    assert msg.startswith(f"{files[kind]}: {reason}")


def test_load_image_missing_file(tmp_path):
    with pytest.raises(ImageError, match="no such file"):
        load_image(tmp_path / "nope.png")


def test_predict_files_keeps_order_and_classifies_around_errors(exported, files):
    paths = [files["good"][0], files["text"], files["good"][1], files["empty"]]
    rows = predict_files(exported["onnx"], paths)
    assert [r.file for r in rows] == [str(p) for p in paths]
    assert [r.error is None for r in rows] == [True, False, True, False]
    for r in (rows[0], rows[2]):
        assert r.label in TAGGER_NAMES and 1 / 3 <= r.probability <= 1
    assert rows[1].error.startswith("not an image") and rows[3].error == "empty file"


def test_predict_files_probability_is_the_models_softmax(model, exported, files):
    x = preprocess_photo(load_image(files["good"][0]))[None, None]        # (1, 1, 28, 28)
    with torch.no_grad():
        p = torch.softmax(model(torch.from_numpy(x)), 1)[0]
    row = predict_files(exported["pt"], [files["good"][0]])[0]
    assert row.label == TAGGER_NAMES[int(p.argmax())]
    assert row.probability == pytest.approx(float(p.max()), abs=1e-6)


# ---------------------------------------------------------------- the command
def run(*args):
    return subprocess.run([NNCOURSE, "predict", *map(str, args)], capture_output=True, text=True)


def test_command_classifies_good_files_and_reports_bad_ones(exported, files):
    g, paths = files["good"], [files["good"][0], files["text"], files["good"][1], files["truncated"],
                               files["empty"], files["good"][2]]
    out = run(exported["onnx"], *paths)
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == len(paths)
    want = {str(r.file): r for r in predict_files(exported["onnx"], paths)}
    for line, p in zip(lines, paths):
        if p in g:
            m = LINE.match(line)
            assert m and m["file"] == str(p), line
            assert m["label"] == want[str(p)].label and float(m["p"]) == round(want[str(p)].probability, 2)
        else:
            assert line.startswith(f"{p}: error: ")
    assert f"{files['text']}: error: not an image" in out.stdout
    assert f"{files['truncated']}: error: corrupt image" in out.stdout
    assert f"{files['empty']}: error: empty file" in out.stdout


def test_command_with_a_state_dict_and_all_good_files_exits_0(exported, files):
    out = run(exported["pt"], *files["good"])
    assert out.returncode == 0, out.stderr
    assert all(LINE.match(line) for line in out.stdout.splitlines()) and len(out.stdout.splitlines()) == 3


def test_command_with_a_bad_model_exits_2(tmp_path, files):
    bad = tmp_path / "model.onnx"
    bad.write_text("no model here")
    out = run(bad, *files["good"])
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(f"error: {bad}: cannot load the model") and out.stderr.count("\n") == 1


def test_module_docstring_names_every_step():
    doc = shipping.preprocess_photo.__doc__
    for step in ("Greyscale", "Background", "Crop", "Resize", "Invert"):
        assert step in doc
