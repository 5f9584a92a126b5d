"""The quality table: its results file, its writer, and the book's appendix that shows it."""

import json
import re
from pathlib import Path

import pytest
import yaml

from nncourse import quality

ROOT = Path(__file__).resolve().parents[1]
APPENDIX = "book/appendix_quality"


def row(value=0.9, seconds=(1.0, 2.0), values=None):
    """Keyword arguments of quality.record for a well-formed row (curve ends at the value)."""
    values = values or (0.8, value)
    return dict(value=value, train_seconds=seconds[-1], cpu_seconds=1.5, params=1234,
                curve=(list(seconds), list(values)), settings={"epochs": 2, "threads": 1},
                command="benchmarks/x.py --json out.json", load=(0.5, 1.0))


# ---------------------------------------------------------------- the committed file
def test_committed_results_are_well_formed():
    data = json.loads(quality.RESULTS.read_text())
    assert quality.problems(data) == []
    assert list(data["rows"]) == [m.id for m in quality.MODELS if m.id in data["rows"]]  # table order
    # the image models are measured (the language models' rows come from shakespeare_lm.py)
    assert {"mlp_digits", "cnn_fashion", "mlp_fashion"} <= set(data["rows"])
    for mid, r in data["rows"].items():
        script = r["command"].split()[0]
        assert script == quality.BY_ID[mid].benchmark, f"{mid} was measured by {script}"
        assert r["train_seconds"] >= r["curve"]["seconds"][0] > 0


@pytest.mark.parametrize("model", quality.MODELS, ids=lambda m: m.id)
def test_every_benchmark_script_writes_its_rows(model):
    """Each model's benchmark, once it exists, has --json and writes that model's row."""
    script = ROOT / model.benchmark
    if not script.exists():
        assert model.id not in quality.read()["rows"], f"{model.id} has a row but no script"
        return
    source = script.read_text()
    assert "--json" in source, f"{model.benchmark} has no --json option"
    assert "quality.record" in source and f'"{model.id}"' in source, (
        f"{model.benchmark} does not record the row {model.id!r} with nncourse.quality.record")


# ---------------------------------------------------------------- the writer
def test_record_keeps_other_rows_and_orders_them(tmp_path):
    path = tmp_path / "results" / "q.json"
    quality.record(path, "cnn_fashion", **row(0.91))
    quality.record(path, "mlp_digits", **row(0.98))
    quality.record(path, "cnn_fashion", **row(0.92, (3.0, 6.0, 9.5), (0.8, 0.9, 0.92)))
    data = quality.read(path)
    assert list(data["rows"]) == ["mlp_digits", "cnn_fashion"]
    assert data["rows"]["mlp_digits"]["value"] == 0.98
    new = data["rows"]["cnn_fashion"]
    assert new["value"] == 0.92 and new["train_seconds"] == 9.5 and new["curve"]["seconds"] == [3.0, 6.0, 9.5]
    assert new["machine"]["cores"] >= 1 and new["machine"]["cpu"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", new["date"])
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize("bad, message", [
    (dict(row(), value=90.5), "fractions, not percent"),
    (dict(row(), values=(0.8, 0.85)), "last point"),
    (dict(row(), seconds=(2.0, 1.0)), "increasing"),
    (dict(row(), params=0), "params"),
    (dict(row(), cpu_seconds=float("nan")), "cpu_seconds"),
])
def test_record_refuses_malformed_rows(tmp_path, bad, message):
    args = dict(bad)
    if "values" in args or "seconds" in args:
        seconds, values = args.pop("seconds", (1.0, 2.0)), args.pop("values", (0.8, 0.9))
        args.update(curve=(list(seconds), list(values)), train_seconds=seconds[-1])
    with pytest.raises(ValueError, match=message):
        quality.record(tmp_path / "q.json", "cnn_fashion", **args)
    assert not (tmp_path / "q.json").exists()


def test_problems_names_what_is_wrong():
    assert quality.problems([]) == ["the results file does not hold a JSON object"]
    assert quality.problems({"format": 2, "rows": {}}) == ["format is 2, expected 1"]
    lm = {"format": 1, "rows": {"gpt_shakespeare": {"value": 0.3}, "resnet": {}}}
    found = " / ".join(quality.problems(lm))
    assert "resnet: unknown model id" in found and "gpt_shakespeare: keys: missing" in found


def test_calibration_error_rows(tmp_path):
    path = tmp_path / "q.json"
    quality.record(path, "tagger_ece", **row(0.031, (10.0, 20.0), (0.05, 0.031)))
    with pytest.raises(ValueError, match="calibration error outside"):
        quality.record(path, "tagger_ece_scaled", **row(1.5, (10.0, 20.0), (2.0, 1.5)))
    shown = quality.markdown_table(quality.read(path))
    assert "| 0.031 | 20.0 |" in shown


def test_curves_have_one_panel_per_kind_of_metric(tmp_path):
    path = tmp_path / "q.json"
    quality.record(path, "cnn_fashion", **row(0.9))
    quality.record(path, "tagger_uploads", **row(0.8, (1.0, 2.0), (0.7, 0.8)))
    quality.record(path, "tagger_ece", **row(0.03, (1.0, 2.0), (0.05, 0.03)))
    fig = quality.plot_curves(quality.read(path))
    axes = {ax.get_title(): ax for ax in fig.axes}
    assert {"images: higher is better", "Shakespeare: lower is better",
            "calibration: lower is better"} <= set(axes)
    assert len(axes) == len(fig.axes)                                      # titles differ
    images = axes["images: higher is better"]
    assert sorted(l.get_label() for l in images.get_lines()) == ["CNN", "product tagger, uploads"]
    assert list(images.get_lines()[0].get_ydata()) == [80.0, 90.0]        # percent
    assert [l.get_label() for l in axes["calibration: lower is better"].get_lines()] == [
        "product tagger, ECE"]
    assert not axes["Shakespeare: lower is better"].get_lines()


def test_bits_per_character_rows(tmp_path):
    path = tmp_path / "q.json"
    quality.record(path, "lstm_shakespeare", **row(2.36, (10.0, 20.0), (2.9, 2.36)))
    with pytest.raises(ValueError, match="bits per character"):
        quality.record(path, "gpt_shakespeare", **row(0.0, (10.0, 20.0), (2.9, 0.0)))
    shown = quality.markdown_table(quality.read(path))
    assert "| character LSTM (ch. 7) | validation bits per character, Shakespeare | 2.360 | 20.0 | 1.5 | 1,234 |" in shown
    assert "| character GPT (ch. 8) | validation bits per character, Shakespeare | not measured yet |" in shown
    assert shown.count("not measured yet") == len(quality.MODELS) - 1
    told = quality.runs(quality.read(path))
    assert ("character LSTM: 2.360 after 20.0 s (1.5 s CPU)\n    nncourse.charlm.CharLSTM\n    Shakespeare (characters)\n"
            "    epochs 2, threads 1\n") in told
    assert "character GPT: not measured yet (benchmarks/shakespeare_lm.py --json)" in told


# ---------------------------------------------------------------- the appendix
def test_appendix_is_in_the_toc_after_using_the_course():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    captions = [p["caption"] for p in toc["parts"]]
    assert "Appendix" in captions and captions.index("Appendix") > captions.index("Using the course")
    appendix = toc["parts"][captions.index("Appendix")]
    assert {"file": APPENDIX} in appendix["chapters"]
    assert (ROOT / f"{APPENDIX}.md").is_file()


@pytest.mark.slow
def test_appendix_page_shows_every_row_and_the_curves():
    """Run the page as the book build does; it shows the committed numbers, not new ones."""
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(ROOT / f"{APPENDIX}.md")
    assert nb.metadata["mystnb"]["execution_mode"] == "force"   # never a stale cached table
    assert nb.metadata["mystnb"]["render_markdown_format"] == "myst"   # so that the table is a table
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "book")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    shown = "".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    data = quality.read()
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    for m in quality.MODELS:
        assert f"| {m.name} (ch. {int(m.chapter[2:4])}) | {m.metric}, " in shown
        r = data["rows"].get(m.id)
        assert (f"| {m.format(r['value'])} | {r['train_seconds']:.1f} | {r['cpu_seconds']:.1f} | "
                f"{r['params']:,} |" if r else "not measured yet") in shown
        assert (f"{m.name}: {m.format(r['value'])} after" if r else f"{m.name}: not measured yet") in streams
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1
