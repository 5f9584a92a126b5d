"""Reading untrusted submissions: only answer cells count, problems become messages."""

import json

from nncourse.grading import notebook as nbmod
from nncourse.grading.grader import release_path, source_path


def _layout():
    nb, _ = nbmod.load_json_notebook(source_path("ch01_neuron"))
    return nbmod.Layout.of(nb)


def test_layout_of_the_source():
    lay = _layout()
    assert lay.code_answers == ("sigmoid", "relu", "softplus", "neuron_forward", "signed_distance",
                                "perceptron_train", "pocket_perceptron")
    assert lay.tests == {"test_sigmoid": 2, "test_relu": 1, "test_softplus": 3, "test_neuron_forward": 1,
                         "test_signed_distance": 2, "test_perceptron_train": 3, "test_pocket_perceptron": 4}
    assert sum(lay.tests.values()) == 16
    assert lay.written == {"perceptron_pocket_experiment": 2, "perceptron_pocket_report": 3, "xor_explanation": 2}
    assert lay.written_code == {"perceptron_pocket_experiment"}


def test_invalid_files(tmp_path):
    p = tmp_path / "x.ipynb"
    for content in (b"{nope", b"", b"[1, 2]", b'{"cells": 3}', b"\xff\xfe"):
        p.write_bytes(content)
        nb, err = nbmod.load_json_notebook(p)
        assert nb is None and "not a valid notebook" in err


def test_missing_duplicated_and_malformed_cells():
    nb = json.loads(release_path("ch01_neuron").read_text())
    cells = nb["cells"]
    by_id = {nbmod.nbgrader_meta(c).get("grade_id"): c for c in cells}
    cells.remove(by_id["relu"])                                    # deleted
    dup = json.loads(json.dumps(by_id["sigmoid"]))
    dup["source"] = "def sigmoid(z):\n    return 0"
    cells.append(dup)                                              # duplicated: the last one wins
    by_id["neuron_forward"]["source"] = 42                         # malformed
    by_id["perceptron_train"]["cell_type"] = "markdown"            # wrong type
    ans = nbmod.extract_answers(nb, _layout())
    msgs = " | ".join(ans.messages)
    assert "'relu' is missing" in msgs
    assert "'sigmoid' appears 2 times" in msgs and ans.code["sigmoid"].endswith("return 0")
    assert "'neuron_forward' is malformed" in msgs and "'perceptron_train' is malformed" in msgs
    assert set(ans.code) == {"sigmoid", "softplus", "signed_distance", "pocket_perceptron"}
    # the untouched experiment and report are carried (as the release's stubs), to be graded by hand
    assert set(ans.written) == {"perceptron_pocket_experiment", "perceptron_pocket_report", "xor_explanation"}


def test_test_cells_and_metadata_of_the_submission_are_ignored():
    nb = json.loads(release_path("ch01_neuron").read_text())
    for c in nb["cells"]:
        m = nbmod.nbgrader_meta(c)
        if m.get("grade_id", "").startswith("test_"):
            c["source"] = "pass"
            m["points"] = 1000
    ans = nbmod.extract_answers(nb, _layout())
    release = json.loads(release_path("ch01_neuron").read_text())
    rebuilt = nbmod.rebuild(release, ans, _layout(), {"test_relu": "feedback"})
    srcs = {nbmod.nbgrader_meta(c).get("grade_id"): nbmod.cell_source(c) for c in rebuilt["cells"]}
    assert "check(relu)" in srcs["test_relu"]  # the release's test, not the student's `pass`
    out = [c for c in rebuilt["cells"] if nbmod.nbgrader_meta(c).get("grade_id") == "test_relu"][0]["outputs"]
    assert out[0]["text"] == "feedback"
    assert all(not c.get("outputs") for c in rebuilt["cells"]
               if c["cell_type"] == "code" and nbmod.nbgrader_meta(c).get("grade_id") != "test_relu")


def test_forbidden_module_detection():
    f = ("torch",)
    assert nbmod.uses_forbidden("import torch\n", f)
    assert nbmod.uses_forbidden("from torch.nn import functional as F", f)
    assert nbmod.uses_forbidden("m = __import__('torch')", f)
    assert nbmod.uses_forbidden("x = torch.sigmoid(z)", f)
    assert nbmod.uses_forbidden("import numpy as np\nnp.exp(1)", f) is None
    assert nbmod.uses_forbidden("import torch", ()) is None
