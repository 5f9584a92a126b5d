"""Every chapter is deterministic: run again, it prints what the built book shows.

The book build (``nncourse.book.build_once``, shared with test_book.py)
keeps each chapter's executed notebook in its execution cache. Each test here
runs one chapter again in a fresh kernel, then compares the text under every
code cell with the cached run's, after ``nncourse.book.normalise`` (progress
bars, durations and the timing-only lines listed in ``book.TIMING_ONLY``).
Under ``make test`` these tests run on the pytest-xdist worker that builds the
book (the "book" group of ``conftest.work_group``), after the build; the
fresh run comes first, so that run alone (``pytest tests/test_determinism.py``)
it still overlaps with a build in another process.
"""

from __future__ import annotations

import functools
import json
import re

import nbformat
import pytest

from nncourse import book

# Running a chapter again costs what building it did: 10-15 s of CPU for chapters
# 1-4, 45-130 s for each of the training chapters 5-9. Within the suite's budget
# (20 minutes on 2 cores, beside the build and the grading of every variant) the
# suite checks chapters 1-4 on every run; `benchmarks/course.py` checks all nine
# (its "same numbers" column compares a fresh run of each with the cold build).
CHAPTERS = [p for p in book.chapters() if int(re.search(r"ch(\d+)_", p).group(1)) <= 4]


@functools.cache   # once per worker process
def built() -> dict:
    return book.build_once()


@pytest.mark.slow
@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_prints_what_the_book_shows(page):
    fresh = book.execute(page)
    status = built()
    try:
        shown = book.cached(page)
    except KeyError:
        pytest.fail(f"the book's execution cache holds no run of {page} (build exit status "
                    f"{status['returncode']}; see test_book.py::test_book_builds_without_warnings)")
    diff = book.differences(shown, fresh, page)
    assert not diff, (
        f"{page} printed other numbers when run again (cached run != fresh run):\n  " + "\n  ".join(diff)
        + "\nSeed what is random; if only timings differ, mask them in nncourse.book.TIMING_ONLY. "
        "(With a reused build, the cache may be older than a change to nncourse/: rebuild.)")


# ---------------------------------------------------------------- the comparison itself
def notebook(*cells: list[dict]):
    """A notebook whose code cells have these outputs."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("pass", outputs=[nbformat.from_dict(o) for o in c]) for c in cells]
    return nb


def out(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": text}


def test_printed_joins_chunks_and_keeps_text_forms():
    nb = notebook([out("loss 0.1"), out("23\n"), {"output_type": "display_data", "metadata": {},
                   "data": {"image/png": "iVBO", "text/plain": "<Figure size 550x360 with 1 Axes>"}}],
                  [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                    "data": {"text/plain": "array([1, 2])", "text/html": "<b>x</b>"}}],
                  [])
    assert book.printed(nb) == ["loss 0.123\n<Figure size 550x360 with 1 Axes>", "array([1, 2])", ""]


def test_normalise_masks_timings_only():
    text = ("epochs: 40%|####      | 2/5 [00:03<00:04, 1.2s/it]\n"
            "test accuracy 98.00% (training took 61 s), 3 steps in 12.5 ms\n"
            "<Value at 0x7f3a2c>")
    assert book.normalise(text) == ("test accuracy 98.00% (training took <time> s), 3 steps in <time> ms\n"
                                    "<Value at 0x?>")
    assert book.normalise("CNN     20,538      4      61       90.12%   90.68%  (all epochs)",
                          "book/ch06_cnn") == "CNN     20,538      4 #       90.12%   90.68%  (all epochs)"
    # the padding of a masked number is masked with it: a wider number is no difference
    assert book.normalise("forward pass           1.61 ms") == book.normalise("forward pass          11.11 ms")
    assert book.normalise("fwd + bp     7.01 ms (4.4 x forward)", "ch04_backprop") == \
        book.normalise("fwd + bp    12.61 ms (12.4 x forward)", "ch04_backprop") == "fwd + bp # ms (# x forward)"
    assert book.normalise("time: Value 59.0 ms, NumPy 0.17 ms (NumPy 341 x faster)", "ch04_backprop") == \
        "time: Value # ms, NumPy # ms (NumPy # x faster)"
    assert book.normalise("throughput: 12,345 tokens/s, MFU 3%   (timing)") == "throughput: # tokens/s, MFU #   (timing)"
    assert book.normalise("loss 2.3 s.t. 5 steps; 4 seconds") == "loss 2.3 s.t. 5 steps; <time> seconds"
    # torch.profiler's trace markers (a timestamp and the process id) are not output of the chapter
    trace = "USDT:2026-11-29 17:04:25 29632:29632 SyncActivityProfilerHandler.cpp:52] profiler_start\nloss 2.3"
    assert book.normalise(trace) == "loss 2.3"
    # a line that is only "(timing)": what follows in the cell is a timing table (rows sorted by time)
    table = ("Name    Self CPU %\n(timing)\n  aten::mm   27.26%   57\n  aten::add   9.1%   12")
    swapped = ("Name    Self CPU %\n(timing)\n  aten::add   9.3%   12\n  aten::mm   27.39%   57")
    assert book.normalise(table) == book.normalise(swapped) == "Name    Self CPU %\n(timing)"
    assert book.normalise("(timing) 3 steps\nloss 2.3") == "(timing) # steps\nloss 2.3"


def test_differences_names_the_cell_and_line():
    a = notebook([out("a 1\nb 2\n")], [out("took 3.0 s\n")])
    b = notebook([out("a 1\nb 3\n")], [out("took 4.5 s\n")])
    assert book.differences(a, b) == ["code cell 1, line 2: 'b 2' != 'b 3'"]
    assert book.differences(a, a) == []
    assert book.differences(a, notebook([])) == ["2 code cells against 1"]


def test_a_build_is_reused_when_fresh_and_a_failed_one_only_in_its_run(tmp_path, monkeypatch):
    monkeypatch.setattr(book, "STATUS", tmp_path / "status.json")
    monkeypatch.setattr(book, "HTML", tmp_path / "html")
    monkeypatch.setattr(book, "_newest_input", lambda: 0.0)   # nothing changed since the build

    def status(rc, run):
        book.STATUS.write_text(json.dumps({"command": book.BUILD_ARGS, "returncode": rc, "run": run}))

    status(1, "run A")
    assert book._fresh_build_status("run A")["returncode"] == 1   # a worker of the same run
    assert book._fresh_build_status("run B") is None              # a later run builds again
    status(0, "run A")
    assert book._fresh_build_status("run B") is None              # succeeded, but its HTML is gone
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text("<html></html>")
    assert book._fresh_build_status("run B")["returncode"] == 0
    monkeypatch.setattr(book, "_newest_input", lambda: book.STATUS.stat().st_mtime + 1)   # an input changed
    assert book._fresh_build_status("run A") is None
