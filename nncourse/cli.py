"""``nncourse``: the course's command line (what the Makefile targets call).

Students:     nncourse check exercises/ch01_neuron/ch01_neuron.ipynb
Instructors:  nncourse release --all
              nncourse grade ch01_neuron --submissions DIR [--db-url URL] [--csv PATH]
              nncourse grade ch01_neuron --submissions DIR --cluster tls://HOST:PORT
              nncourse cluster-certs DIR [--host HOST ...]   (TLS for --cluster)
              nncourse export --to grades.csv
              nncourse feedback ch01_neuron
              nncourse report ch01_neuron       (class report from the last grading)
              nncourse extend ch01_neuron alice --days 2
Anyone:       nncourse predict tagger.onnx photo.jpg ...   (chapter 10's shipped model;
              exit 1 when some file could not be read)
Exit status: 0 success (for ``check``: every visible check passed), 1 a check
failed, 2 the command could not do its job (bad arguments, no sandbox, ...).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .grading import checks, cluster, gradebook, grader, release, report, sandbox

# a gradebook URL may hold a password: it can come from the environment instead of the command line
DB_URL = os.environ.get("NNCOURSE_DB_URL") or gradebook.DEFAULT_DB


def _infer_assignment(nb: Path) -> str:
    known = release.assignments()
    for cand in (nb.stem, nb.parent.name):
        if cand in known:
            return cand
    raise SystemExit(f"cannot tell which assignment {nb} is; pass --assignment (one of {', '.join(known)})")


def cmd_check(a) -> int:
    nb = Path(a.notebook)
    if not nb.is_file():
        print(f"error: no such notebook: {nb}", file=sys.stderr)
        return 2
    assignment = a.assignment or _infer_assignment(nb)
    spec = checks.load(assignment)
    sandboxed = not a.no_sandbox and sandbox.bwrap_problem() is None
    if not sandboxed and not a.no_sandbox:
        print(f"note: {sandbox.bwrap_problem()}; running your own code without a sandbox.", file=sys.stderr)
    try:  # the oracles' small torch ops: one thread is faster than two, as in grade_class
        import torch
        torch.set_num_threads(1)
    except ImportError:
        pass
    res = grader.grade_notebook(nb, spec, "self-check", visible_only=True, sandboxed=sandboxed)
    print(res.report())
    failed = [c for t in res.tasks.values() for c in t.checks if not c.passed]
    bad = [t.task for t in res.tasks.values() if t.note]
    ok = not failed and not bad and not res.messages
    print(f"\nself-check {'PASSED' if ok else 'FAILED'}: {sum(len(t.checks) for t in res.tasks.values()) - len(failed)}"
          f" checks passed, {len(failed)} failed" + (f", {len(bad)} answers not credited" if bad else ""))
    return 0 if ok else 1


def cmd_release(a) -> int:
    names = release.assignments() if a.all or not a.assignments else a.assignments
    for n in names:
        out = release.generate(n)
        print(f"released {n} -> {out.relative_to(release.ROOT)}")
    return 0


def cmd_grade(a) -> int:
    folder = Path(a.submissions)
    if not folder.is_dir():
        print(f"error: no such folder: {folder}", file=sys.stderr)
        return 2
    sec = None
    if a.cluster:
        try:  # before anything else: an address that would carry the key in clear is refused
            address = cluster.check_address(a.cluster, a.insecure_cluster)
            if a.no_sandbox:
                raise cluster.ClusterError("--no-sandbox cannot be used with --cluster: the workers grade "
                                           "untrusted code, always in the sandbox")
            if not address.startswith("tcp://"):       # tls:// and gateway://: the certificates
                sec = cluster.security(Path(a.tls_dir))
        except cluster.ClusterError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        if address.startswith("tcp://"):
            print(f"WARNING: --insecure-cluster: {cluster.TRUSTED_NETWORK}.", file=sys.stderr)
    elif a.force:
        print("error: --force applies to --cluster only (local grading always grades every submission)",
              file=sys.stderr)
        return 2
    elif a.insecure_cluster:
        print("error: --insecure-cluster applies to --cluster only", file=sys.stderr)
        return 2
    if a.no_sandbox:
        print("WARNING: --no-sandbox: student code runs unisolated, with your permissions.", file=sys.stderr)
    try:  # before any grading: a gradebook that cannot be opened fails now, in one line
        gradebook.check(a.db_url)
    except gradebook.GradebookError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    found, refused = grader.find_submissions(folder, a.assignment)
    if a.student:
        found = [s for s in found if s.student in a.student]
        missing = sorted(set(a.student) - {s.student for s in found})
        if missing:
            print(f"error: no submission of {a.assignment} for {', '.join(missing)} under {folder}", file=sys.stderr)
            return 2
    for r in refused:
        print(f"  refused {r}")
    if a.cluster:
        return _grade_on_cluster(a, address, sec, found, t0)
    from tqdm import tqdm

    # a bar with an ETA on a terminal (quiet in logs); --verbose: a line per student instead
    bar = tqdm(total=len(found), desc=f"grading {a.assignment}", unit="notebook", file=sys.stderr,
               disable=True if a.verbose else None)

    def progress(r):
        bar.update(1)
        if a.verbose:
            print(f"  graded {r.student}: {r.score:g}/{r.max_score:g}", flush=True)

    try:
        results = grader.grade_class(a.assignment, folder, workers=a.workers, sandboxed=not a.no_sandbox,
                                     found=found, progress=progress)
    except sandbox.SandboxUnavailable as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        bar.close()
    try:
        warnings = gradebook.save(results, a.assignment, a.db_url, autograded_dir=Path(a.autograded_dir))
    except gradebook.GradebookError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    _after_grading(a, results, warnings, t0, keep_others=bool(a.student))
    return 0


def _after_grading(a, results, warnings, t0: float, keep_others: bool, note: str = "") -> None:
    """What both ways of grading print and write once the grades are saved."""
    for w in warnings:
        print(f"  warning: {w}")
    for r in sorted(results, key=lambda r: r.student):
        if r.messages:
            print(f"  {r.student}: " + "; ".join(r.messages))
    checks_csv = Path(a.checks_csv or report.REPORTS / a.assignment / "checks.csv")
    report.write_checks_csv(results, checks_csv, keep_others=keep_others)
    csv = gradebook.export_csv(Path(a.csv), a.db_url)
    scores = sorted(r.score for r in results)
    summary = f"median {scores[len(scores) // 2]:g}/{results[0].max_score:g}" if results else "no submissions"
    print(f"graded {len(results)} submissions of {a.assignment} in {time.monotonic() - t0:.1f} s ({summary}); "
          f"gradebook: {gradebook.shown_url(a.db_url)}; CSV: {csv}; every check: {checks_csv}{note}")
    if a.report:
        Path(a.report).write_text("\n\n".join(r.report() for r in sorted(results, key=lambda r: r.student)) + "\n")


def _grade_on_cluster(a, address: str, sec, found, t0: float) -> int:
    """``nncourse grade --cluster``: tasks on a Dask cluster, each result saved as it comes
    back (one transaction per submission); what is already graded is skipped (resume)."""
    import contextlib

    from tqdm import tqdm

    resume = not a.force and not a.student
    done = gradebook.already_graded(a.assignment, found, a.db_url, Path(a.autograded_dir)) if resume else set()
    todo = [s for s in found if s.student not in done]
    if done:
        print(f"  skipped {len(done)} submissions already in the gradebook (--force grades them again)")
    saved: list = []
    writer: list = []
    stack = contextlib.ExitStack()
    bar = tqdm(total=len(todo), desc=f"grading {a.assignment} on the cluster", unit="notebook", file=sys.stderr,
               disable=True if a.verbose else None)

    def on_result(r):
        with cluster.deferred_interrupt():       # Ctrl-C: never half a submission
            if not writer:                       # opened at the first result: a refusal writes nothing
                w = stack.enter_context(gradebook.Writer(a.assignment, a.db_url, Path(a.autograded_dir)))
                w.add_students(s.student for s in found)   # the order of local grading
                writer.append(w)
            writer[0].save(r)
            saved.append(r)

    def progress(r, counts):
        bar.update(1)
        bar.set_postfix_str(f"failed {counts.failed}, retried {counts.retried}", refresh=False)
        if a.verbose and r is not None:
            print(f"  graded {r.student}: {r.score:g}/{r.max_score:g}", flush=True)

    checks_csv = Path(a.checks_csv or report.REPORTS / a.assignment / "checks.csv")
    try:
        with stack:
            run = cluster.grade_on_cluster(a.assignment, todo, address, sec, progress, on_result=on_result)
    except KeyboardInterrupt:
        bar.close()
        if saved:
            report.write_checks_csv(saved, checks_csv, keep_others=True)
        print(f"interrupted: {len(saved)} submissions saved whole to the gradebook, {len(todo) - len(saved)} not "
              f"graded; run the same command again to grade them", file=sys.stderr)
        return 130
    except (cluster.ClusterError, gradebook.GradebookError) as e:
        bar.close()
        if saved:
            report.write_checks_csv(saved, checks_csv, keep_others=True)
        print(f"error: {e}" + (f"\n({len(saved)} submissions were saved; run the command again to grade the "
                               "others)" if saved else ""), file=sys.stderr)
        return 2
    finally:
        bar.close()
    for student, why in run.failed:
        print(f"  not graded {student}: {why}")
    c = run.counts
    note = (f"; on {address}: {run.workers} workers, {c.failed} failed, {c.retried} retried" if todo
            else f"; nothing left to grade on {address}") + (f", {len(done)} skipped" if done else "")
    _after_grading(a, run.results, writer[0].warnings if writer else [], t0, keep_others=bool(a.student or done),
                   note=note)
    if run.failed:
        print(f"error: {len(run.failed)} submissions were not graded (above); run the same command again to "
              "grade them", file=sys.stderr)
        return 2
    return 0


def cmd_cluster_certs(a) -> int:
    try:
        files = cluster.make_certificates(Path(a.folder), hosts=a.host or ("127.0.0.1", "localhost"))
    except (cluster.ClusterError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {', '.join(str(p) for p in files.values())} (0600): copy all three to the scheduler, every "
          "worker and the grading machine, and keep them private")
    return 0


def cmd_export(a) -> int:
    if a.format == "canvas":
        print(f"wrote {report.canvas_csv(a.db_url, Path(a.to))} (Canvas gradebook import)")
    else:
        print(f"wrote {gradebook.export_csv(Path(a.to), a.db_url)}")
    return 0


def cmd_extend(a) -> int:
    try:
        text = gradebook.extend(a.assignment, a.student, a.db_url, hours=a.hours, days=a.days)
    except gradebook.GradebookError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(text)
    return 0


def cmd_report(a) -> int:
    checks_csv = Path(a.checks or report.REPORTS / a.assignment / "checks.csv")
    if not checks_csv.is_file():
        print(f"error: no {checks_csv}: grade {a.assignment} first (nncourse grade writes it)", file=sys.stderr)
        return 2
    out = report.class_report(checks_csv, Path(a.out or checks_csv.parent))
    print(f"wrote {out} and {out.with_name('scores.png')}")
    return 0


def cmd_feedback(a) -> int:
    out = gradebook.feedback(a.assignment, a.db_url, Path(a.autograded_dir), Path(a.feedback_dir))
    print(f"feedback written under {out}")
    return 0


def cmd_predict(a) -> int:
    from . import shipping  # torch and onnxruntime: imported only for this command

    try:
        rows = shipping.predict_files(a.model, a.images)
    except ValueError as err:  # the model: missing, unknown format, cannot be loaded
        print(f"error: {err}", file=sys.stderr)
        return 2
    for r in rows:
        print(f"{r.file}: error: {r.error}" if r.error else f"{r.file}: {r.label} ({r.probability:.2f})")
    return 1 if any(r.error for r in rows) else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="nncourse", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="self-check an exercise notebook (visible checks)")
    c.add_argument("notebook")
    c.add_argument("--assignment")
    c.add_argument("--no-sandbox", action="store_true", help="run without bubblewrap (your own code)")
    c.set_defaults(fn=cmd_check)
    r = sub.add_parser("release", help="generate exercises/ from solutions/ (nbgrader)")
    r.add_argument("assignments", nargs="*")
    r.add_argument("--all", action="store_true")
    r.set_defaults(fn=cmd_release)
    g = sub.add_parser("grade", help="grade DIR/<student>/<assignment>/<assignment>.ipynb")
    g.add_argument("assignment")
    g.add_argument("--submissions", required=True)
    g.add_argument("--db-url", default=DB_URL,
                   help="gradebook (SQLAlchemy URL; default: $NNCOURSE_DB_URL, else gradebook.db)")
    g.add_argument("--csv", default=str(grader.ROOT / "autograder" / "grades.csv"))
    g.add_argument("--workers", type=int, default=None, help="parallel sandboxes (default: CPU count)")
    g.add_argument("--autograded-dir", default=str(gradebook.AUTOGRADED), help="where graded notebooks go")
    g.add_argument("--report", help="also write every student's detailed feedback to this text file")
    g.add_argument("--verbose", action="store_true", help="a line per student graded, not a progress bar")
    g.add_argument("--checks-csv", help="every check as CSV (default: autograder/reports/<assignment>/checks.csv)")
    g.add_argument("--student", action="append", metavar="ID",
                   help="grade only this student (again); may be given several times")
    g.add_argument("--no-sandbox", action="store_true",
                   help="DANGEROUS: run student code without isolation (trusted code only)")
    g.add_argument("--cluster", metavar="ADDRESS",
                   help="grade on the workers of a Dask scheduler, e.g. tls://sched.example.org:8786 "
                        "(or a Dask Gateway cluster's gateway://...)")
    g.add_argument("--tls-dir", default=os.environ.get("NNCOURSE_CLUSTER_TLS") or str(cluster.DEFAULT_TLS_DIR),
                   help="ca.pem, cert.pem, key.pem for --cluster (nncourse cluster-certs; default: "
                        "$NNCOURSE_CLUSTER_TLS, else autograder/.cluster-tls)")
    g.add_argument("--insecure-cluster", action="store_true",
                   help="accept a tcp:// --cluster address: trusted network only, the grader's secret key "
                        "travels in clear")
    g.add_argument("--force", action="store_true",
                   help="with --cluster: grade every submission again (default: only those not yet in the "
                        "gradebook, e.g. after an interrupted run)")
    g.set_defaults(fn=cmd_grade)
    cc = sub.add_parser("cluster-certs", help="make the TLS certificates of a grading cluster (a CA, one key+cert)")
    cc.add_argument("folder", help="a new or empty folder")
    cc.add_argument("--host", action="append",
                    help="an IP address or DNS name of the scheduler (may be repeated; default: 127.0.0.1, "
                         "localhost)")
    cc.set_defaults(fn=cmd_cluster_certs)
    e = sub.add_parser("export", help="grades as CSV (nbgrader export)")
    e.add_argument("--to", default=str(grader.ROOT / "autograder" / "grades.csv"))
    e.add_argument("--format", choices=("nbgrader", "canvas"), default="nbgrader",
                   help="nbgrader's CSV (default) or a Canvas gradebook import file")
    e.add_argument("--db-url", default=DB_URL)
    e.set_defaults(fn=cmd_export)
    x = sub.add_parser("extend", help="give a student more time (an extension of the due date)")
    x.add_argument("assignment")
    x.add_argument("student")
    x.add_argument("--hours", type=float, default=0.0)
    x.add_argument("--days", type=float, default=0.0)
    x.add_argument("--db-url", default=DB_URL)
    x.set_defaults(fn=cmd_extend)
    rp = sub.add_parser("report", help="class report: scores per function, most-failed checks (Markdown + figure)")
    rp.add_argument("assignment")
    rp.add_argument("--checks", help="the per-check CSV (default: autograder/reports/<assignment>/checks.csv)")
    rp.add_argument("--out", help="folder for report.md and scores.png (default: beside the CSV)")
    rp.set_defaults(fn=cmd_report)
    f = sub.add_parser("feedback", help="HTML feedback per student (nbgrader generate_feedback)")
    f.add_argument("assignment")
    f.add_argument("--db-url", default=DB_URL)
    f.add_argument("--autograded-dir", default=str(gradebook.AUTOGRADED))
    f.add_argument("--feedback-dir", default=str(gradebook.FEEDBACK))
    f.set_defaults(fn=cmd_feedback)
    pr = sub.add_parser(
        "predict", help="classify image files with an exported model (chapter 10)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Print one line per image file: 'FILE: CLASS (PROBABILITY)', or 'FILE: error: REASON'\n"
                    "for a file that is missing, empty, not an image or corrupt (the other files are\n"
                    "still classified). Each photo is preprocessed as Fashion-MNIST's images were made:\n"
                    "greyscale, cropped to the item (the pixels that differ from the border's colour),\n"
                    "squared, resized to 28x28 with antialiasing, inverted to bright-on-black, scaled to\n"
                    "[0, 1] (nncourse.shipping.preprocess_photo).\n"
                    "Exit status: 0 every file classified, 1 some file could not be read, 2 bad MODEL.")
    pr.add_argument("model", metavar="MODEL",
                    help="an .onnx file (run with onnxruntime), a .pt2 torch.export program, or a .pt "
                         "state dict of nncourse.tagger.build_tagger_cnn")
    pr.add_argument("images", metavar="IMAGE", nargs="+", help="image files (PNG, JPEG, ...)")
    pr.set_defaults(fn=cmd_predict)
    a = p.parse_args(argv)
    try:
        return a.fn(a)
    except (FileNotFoundError, RuntimeError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
