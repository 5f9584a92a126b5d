"""The quality table: what each of the course's models reaches on one machine, and how fast.

The benchmark scripts measure; this module writes and reads their results
file, ``benchmarks/results/quality.json``, which the book's appendix
(``book/appendix_quality.md``) and ``benchmarks/course.py`` show. The book
never trains anything for the table: it only reads this file.

Writing a row (every benchmark script has a ``--json PATH`` option)::

    from nncourse import quality
    quality.record(path, "cnn_fashion", value=0.9087, train_seconds=90.2, cpu_seconds=88.0,
                   params=26_010, curve=([11.3, 22.5, ...], [0.861, 0.884, ...]),
                   settings={"budget_s": 90, "batch": 128, "threads": 1},
                   command="benchmarks/cnn_fashion.py --json benchmarks/results/quality.json",
                   load=(0.4, 1.1))

File format (``"format": 1``), one JSON object::

    {
      "format": 1,
      "rows": {                       # keyed by model id, one of MODELS below
        "<model id>": {
          "value": float,             # the final metric, MODELS[id].metric: accuracy as a
                                      #   fraction (0.9068), bits per character as bits (2.36)
          "train_seconds": float,     # wall-clock seconds of training only (no data loading,
                                      #   no final evaluation)
          "cpu_seconds": float,       # CPU seconds of the process during training
                                      #   (time.process_time(); all threads)
          "params": int,              # trainable parameters
          "curve": {                  # the learning curve: the metric (same definition and
            "seconds": [float, ...],  #   data as "value") after 0 < s1 < s2 < ... training
            "value": [float, ...]     #   seconds; at least one point; the last point is the
          },                          #   final one ("value", "train_seconds")
          "settings": {...},          # what was trained: steps/epochs/budget, batch, lr, threads
          "command": str,             # the command that measured it (to reproduce)
          "machine": {...},           # machine(): cpu, cores, python, numpy, torch, platform
          "date": str,                # UTC, "2026-11-29T12:00:00Z"
          "load": [float, float]      # 1-minute load average before and after training:
        }                             #   other jobs on the machine slow training down
      }
    }

A script records its rows only; rows of other models are kept (the file is
rewritten under a lock, so two benchmarks may run at once). Rows missing from
the file are shown as "not measured yet".
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "quality.json"
FORMAT = 1


@dataclass(frozen=True)
class Model:
    """One row of the table: which model, on which data, measured how."""
    id: str
    name: str                 # short: a table cell
    chapter: str
    data: str
    metric: str
    higher_is_better: bool
    benchmark: str            # the script that measures it
    code: str                 # what is trained

    @property
    def percent(self) -> bool:
        """Accuracies are shown in percent, other metrics as they are."""
        return "accuracy" in self.metric

    def format(self, value: float) -> str:
        return f"{value:.2%}" if self.percent else f"{value:.3f}"


MODELS = (
    Model("mlp_digits", "NumPy MLP", "ch04_backprop",
          "scikit-learn digits (1,347 train / 450 test, 8x8)", "test accuracy", True,
          "benchmarks/mlp_digits.py", "nncourse.numpy_mlp.train_mlp, 64-256-128-10"),
    Model("cnn_fashion", "CNN", "ch06_cnn",
          "Fashion-MNIST (60,000 train / 10,000 test)", "test accuracy", True,
          "benchmarks/cnn_fashion.py", "nncourse.models.build_cnn"),
    Model("mlp_fashion", "MLP baseline", "ch06_cnn",
          "Fashion-MNIST (60,000 train / 10,000 test)", "test accuracy", True,
          "benchmarks/cnn_fashion.py", "nncourse.models.build_mlp, 784-256-10"),
    Model("lstm_shakespeare", "character LSTM", "ch07_rnn",
          "Shakespeare (characters)", "validation bits per character", False,
          "benchmarks/shakespeare_lm.py", "nncourse.charlm.CharLSTM"),
    Model("gpt_shakespeare", "character GPT", "ch08_transformer",
          "Shakespeare (characters)", "validation bits per character", False,
          "benchmarks/shakespeare_lm.py", "nncourse.gpt.GPT"),
    Model("tagger_fashion3", "product tagger", "ch10_practice",
          "Fashion-MNIST T-shirt/top, Coat, Shirt: 15,000 train, 3,000 test",
          "test accuracy", True, "benchmarks/tagger_fashion.py",
          "nncourse.tagger.load_pretrained, new head, fine-tuned"),
    Model("tagger_uploads", "product tagger, uploads", "ch10_practice",
          "3,000 simulated uploads of the test images, preprocessed",
          "accuracy", True, "benchmarks/tagger_fashion.py",
          "the same model, nncourse.shipping.preprocess_photo"),
    Model("tagger_ece", "product tagger, ECE", "ch10_practice",
          "the 3,000 test images", "expected calibration error (15 bins)", False,
          "benchmarks/tagger_fashion.py", "the same model, softmax as it is"),
    Model("tagger_ece_scaled", "product tagger, ECE scaled", "ch10_practice",
          "the 3,000 test images", "expected calibration error (15 bins)", False,
          "benchmarks/tagger_fashion.py",
          "the same model, temperature fitted on the validation images"),
)
BY_ID = {m.id: m for m in MODELS}
ROW_KEYS = {"value", "train_seconds", "cpu_seconds", "params", "curve", "settings", "command",
            "machine", "date", "load"}


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {"cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version()}
    for mod in ("numpy", "torch"):
        if mod in sys.modules:
            info[mod] = sys.modules[mod].__version__
    return info


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def problems(data) -> list[str]:
    """Everything wrong with a results object (empty list: well formed)."""
    if not isinstance(data, dict):
        return ["the results file does not hold a JSON object"]
    out = []
    if data.get("format") != FORMAT:
        out.append(f"format is {data.get('format')!r}, expected {FORMAT}")
    rows = data.get("rows")
    if not isinstance(rows, dict):
        return out + ["'rows' is not an object"]
    for mid, row in rows.items():
        out += [f"{mid}: {p}" for p in _row_problems(mid, row)]
    return out


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _row_problems(mid: str, row) -> list[str]:
    if mid not in BY_ID:
        return [f"unknown model id (known: {', '.join(BY_ID)})"]
    if not isinstance(row, dict):
        return ["not an object"]
    model = BY_ID[mid]
    out = []
    if set(row) != ROW_KEYS:
        missing, extra = sorted(ROW_KEYS - set(row)), sorted(set(row) - ROW_KEYS)
        out.append(f"keys: missing {missing}, unexpected {extra}")
    value = row.get("value")
    if not _number(value):
        out.append(f"value {value!r} is not a finite number")
    elif model.percent and not 0 <= value <= 1:
        out.append(f"value {value} is an accuracy outside [0, 1] (fractions, not percent)")
    elif "bits" in model.metric and not 0 < value < 8:
        out.append(f"value {value} is not a plausible number of bits per character (0, 8)")
    elif "calibration error" in model.metric and not 0 <= value <= 1:
        out.append(f"value {value} is a calibration error outside [0, 1]")
    for key in ("train_seconds", "cpu_seconds"):
        if not (_number(row.get(key)) and row[key] > 0):
            out.append(f"{key} {row.get(key)!r} is not a positive number")
    if not (isinstance(row.get("params"), int) and row["params"] > 0):
        out.append(f"params {row.get('params')!r} is not a positive integer")
    curve = row.get("curve")
    if not (isinstance(curve, dict) and set(curve) == {"seconds", "value"}
            and isinstance(curve["seconds"], list) and isinstance(curve["value"], list)):
        out.append("curve is not {'seconds': [...], 'value': [...]}")
    else:
        s, v = curve["seconds"], curve["value"]
        if not s or len(s) != len(v) or not all(_number(x) for x in s + v):
            out.append("curve: seconds and value must be equally long, non-empty lists of numbers")
        elif any(b <= a for a, b in zip(s, s[1:])) or s[0] <= 0:
            out.append("curve: seconds must be positive and increasing")
        elif _number(value) and _number(row.get("train_seconds")) and (
                not math.isclose(v[-1], value, rel_tol=1e-9)
                or not math.isclose(s[-1], row["train_seconds"], rel_tol=1e-6, abs_tol=1e-6)):
            out.append("curve: its last point must be (train_seconds, value)")
    for key, typ in (("settings", dict), ("machine", dict), ("command", str), ("date", str)):
        if not isinstance(row.get(key), typ) or not row.get(key):
            out.append(f"{key} is missing or not a {typ.__name__}")
    if isinstance(row.get("machine"), dict) and not {"cpu", "cores"} <= set(row["machine"]):
        out.append("machine must say at least cpu and cores")
    if isinstance(row.get("date"), str):
        try:
            time.strptime(row["date"], "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            out.append(f"date {row['date']!r} is not YYYY-MM-DDTHH:MM:SSZ")
    load = row.get("load")
    if not (isinstance(load, list) and len(load) == 2 and all(_number(x) and x >= 0 for x in load)):
        out.append(f"load {load!r} is not [before, after]")
    return out


def read(path: Path | str = RESULTS) -> dict:
    """The results file, checked; an empty table when it does not exist yet."""
    path = Path(path)
    if not path.exists():
        return {"format": FORMAT, "rows": {}}
    data = json.loads(path.read_text())
    bad = problems(data)
    if bad:
        raise ValueError(f"{path} is malformed: " + "; ".join(bad))
    return data


def record(path: Path | str, model_id: str, *, value: float, train_seconds: float,
           cpu_seconds: float, params: int, curve: tuple[list, list], settings: dict,
           command: str, load: tuple[float, float]) -> dict:
    """Check one measured row and write it into the results file at ``path``
    (created if needed; rows of other models are kept). Returns the row."""
    row = {"value": float(value), "train_seconds": round(float(train_seconds), 3),
           "cpu_seconds": round(float(cpu_seconds), 3), "params": int(params),
           "curve": {"seconds": [round(float(s), 3) for s in curve[0]],
                     "value": [float(v) for v in curve[1]]},
           "settings": dict(settings), "command": command, "machine": machine(),
           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "load": [round(float(x), 2) for x in load]}
    row["curve"]["seconds"][-1] = row["train_seconds"]   # the same rounding for both
    bad = _row_problems(model_id, row)
    if bad:
        raise ValueError(f"{model_id}: " + "; ".join(bad))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"nncourse-quality-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = read(path)
        data["rows"][model_id] = row
        data["rows"] = {m.id: data["rows"][m.id] for m in MODELS if m.id in data["rows"]}
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n")
        tmp.replace(path)
    return row


# ---------------------------------------------------------------- showing it
def table(data: dict) -> list[dict]:
    """One display row per model of MODELS, in order (``None`` fields: not measured yet)."""
    out = []
    for m in MODELS:
        r = data["rows"].get(m.id)
        out.append({
            "model": m.name, "chapter": m.chapter, "data": m.data, "metric": m.metric,
            "value": m.format(r["value"]) if r else None,
            "train_seconds": r["train_seconds"] if r else None,
            "cpu_seconds": r["cpu_seconds"] if r else None,
            "params": r["params"] if r else None,
            "machine": (f"{r['machine']['cpu']}, {r['machine']['cores']} cores, "
                        f"{r['settings'].get('threads', '?')} thread(s), load {r['load'][0]:.1f}-{r['load'][1]:.1f}, "
                        f"{r['date'][:10]}") if r else None,
            "benchmark": m.benchmark,
        })
    return out


def markdown_table(data: dict) -> str:
    """The table as Markdown, narrow enough for a book page (the book's appendix shows it)."""
    lines = ["| model | metric | value | training s | CPU s | parameters |",
             "|---|---|---:|---:|---:|---:|"]
    for m, r in zip(MODELS, table(data)):
        model, metric = f"{m.name} (ch. {int(m.chapter[2:4])})", f"{m.metric}, {m.data.split(' (')[0]}"
        if r["value"] is None:
            lines.append(f"| {model} | {metric} | not measured yet | | | |")
        else:
            lines.append(f"| {model} | {metric} | {r['value']} | {r['train_seconds']:.1f} | "
                         f"{r['cpu_seconds']:.1f} | {r['params']:,} |")
    return "\n".join(lines)


def runs(data: dict) -> str:
    """How each row was measured: what was trained, on which machine, under what load."""
    out = []
    for m in MODELS:
        r = data["rows"].get(m.id)
        if r is None:
            out.append(f"{m.name}: not measured yet ({m.benchmark} --json)")
            continue
        s, mach = r["settings"], r["machine"]
        done = ", ".join(f"{k} {s[k]}" for k in ("epochs", "steps", "budget_s", "batch", "threads") if k in s)
        out.append(f"{m.name}: {m.format(r['value'])} after {r['train_seconds']:.1f} s ({r['cpu_seconds']:.1f} s CPU)\n"
                   f"    {m.code}\n"
                   f"    {m.data}\n"
                   f"    {done}\n"
                   f"    {mach['cpu']}, {mach['cores']} cores, load {r['load'][0]:.1f} to {r['load'][1]:.1f}, "
                   f"{r['date'][:10]}")
    return "\n".join(out)


def _family(m: Model) -> str:
    """The panel a model's curve goes to: models with comparable metrics share one."""
    if m.percent:
        return "accuracy"
    if "bits" in m.metric:
        return "bits"
    return m.metric


_PANELS = {"accuracy": ("accuracy (%)", "images: higher is better"),
           "bits": ("validation bits per character", "Shakespeare: lower is better"),
           "expected calibration error (15 bins)": ("expected calibration error",
                                                    "calibration: lower is better")}


def plot_curves(data: dict):
    """One panel per kind of metric, metric against training seconds: accuracies
    (higher is better), bits per character (lower is better), and each other
    metric of MODELS. Returns the figure."""
    from matplotlib.figure import Figure

    families = list(dict.fromkeys(_family(m) for m in MODELS))
    fig = Figure(figsize=(4.5 * len(families), 3.6), layout="constrained")
    axes = fig.subplots(1, len(families), squeeze=False)[0]
    for ax, family in zip(axes, families):
        for m in MODELS:
            r = data["rows"].get(m.id)
            if _family(m) != family or r is None:
                continue
            s, v = r["curve"]["seconds"], r["curve"]["value"]
            scale = 100 if m.percent else 1
            ax.plot(s, [x * scale for x in v], marker="o", ms=3, label=m.name)
        ax.set_xscale("log")
        ax.set_xlabel("training seconds (log scale)")
        better = "higher" if next(m for m in MODELS if _family(m) == family).higher_is_better else "lower"
        ylabel, title = _PANELS.get(family, (family, f"{better} is better"))
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        if ax.get_lines():
            ax.legend(fontsize="small")
        else:
            ax.text(0.5, 0.5, "not measured yet", ha="center", va="center", transform=ax.transAxes)
    return fig
