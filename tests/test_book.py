"""The built book, looked at in a headless browser.

The book is built once per test session with the command ``make book`` runs
(``jupyter-book build . --warningiserror --keep-going``, by
``nncourse.book.build_once``), or the last successful build is reused when it
is newer than every file it is made of (``book.INPUT_DIRS``/``INPUT_FILES``).
Then every page of the table of contents is opened in headless Chromium, and
we check what a reader would see: typeset math, figures that exist, no error
output, nothing loaded from the internet, and for every chapter its exercise
(download link and self-check command). That every chapter prints the same
numbers when run again is checked in ``test_determinism.py``. Under
``make test`` all these tests run on one pytest-xdist worker (``conftest.work_group``),
which starts with the build, while the other worker runs the rest of the suite.
"""

from __future__ import annotations

import html
import html.parser
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from nncourse import book

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SHOTS = book.BUILD / "screenshots"
HTML = book.HTML
CHAPTER = "book/ch01_neuron"
PAGES = book.toc_pages()
CHAPTERS = book.chapters()


@pytest.fixture(scope="session")
def book_build() -> dict:
    """The book, built once per test run (or a fresh earlier build, reused)."""
    return book.build_once()


@pytest.fixture(autouse=True)
def _needs_the_build(book_build):
    """Every test here reads the built HTML: build (or reuse) it first, also under xdist."""
    return book_build


def test_book_builds_without_warnings(book_build):
    assert book_build["returncode"] == 0, (
        f"`jupyter-book {' '.join(book_build['command'])}` failed (exit {book_build['returncode']}); end of its log:\n"
        + book_build["log_tail"])


# ---------------------------------------------------------------- the browser
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("Chromium is not installed, and the book tests need a headless browser. "
                "Install it: `make setup` does so when run as root on Debian/Ubuntu, "
                "or `sudo apt-get install chromium`.")


def run_chromium(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="nncourse-chromium-") as profile:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}", *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}"
    return proc


def page_path(page: str) -> Path:
    return HTML / f"{page}.html"


# Added to a copy of each page before the browser opens it: after the page's scripts
# ran, it lists the code and output boxes that scroll sideways, in a div of its own.
OVERFLOW_PROBE = """<script>
window.addEventListener('load', () => setTimeout(() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });  // folded code too
  const out = [];
  document.querySelectorAll('article pre').forEach((pre) => {
    if (pre.scrollWidth > pre.clientWidth + 1) {
      const longest = pre.innerText.split('\\n').reduce((a, b) => a.length >= b.length ? a : b, '');
      out.push(longest.slice(0, 160));
    }
  });
  const d = document.createElement('div');
  d.id = 'nncourse-overflow';
  d.textContent = JSON.stringify(out);
  document.body.appendChild(d);
}, 300));
</script>"""


@pytest.fixture(scope="session")
def dom(book_build):
    """The DOM of a page after its scripts (MathJax) ran in a 1280 x 900 window, cached
    per page; it ends with the overflow probe's report (``OVERFLOW_PROBE``)."""
    cache: dict[str, str] = {}

    def get(page: str) -> str:
        if page not in cache:
            path = page_path(page)
            assert path.is_file(), f"{path} was not built"
            probe = path.with_name(f"_probe_{path.name}")   # beside the page: its assets resolve
            probe.write_text(path.read_text(encoding="utf-8").replace("</body>", OVERFLOW_PROBE + "</body>"),
                             encoding="utf-8")
            try:
                proc = run_chromium("--virtual-time-budget=15000", "--window-size=1280,900", "--dump-dom",
                                    probe.as_uri())
            finally:
                probe.unlink()
            assert "<html" in proc.stdout, f"no DOM dumped for {page}: {proc.stderr[-1000:]}"
            cache[page] = proc.stdout
        return cache[page]

    return get


# ---------------------------------------------------------------- HTML parsing
class Page(html.parser.HTMLParser):
    """Collects what the checks need: assets, images, links, math, and visible text."""

    SKIP_TEXT = {"script", "style", "pre", "code", "textarea", "mjx-container", "mjx-assistive-mml", "svg"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.other_links: list[tuple[str, str]] = []
        self.images: list[str] = []
        self.anchors: list[dict] = []
        self.math_nodes = 0
        self.mjx = 0
        self.mjx_errors = 0
        self.classes: list[str] = []
        self.text: list[str] = []
        self.inline_styles: list[str] = []
        self._stack: list[str] = []
        self._skip = 0
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        self.classes.append(cls)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower()
            if "stylesheet" in rel:
                self.stylesheets.append(a["href"])
            elif rel in ("preload", "modulepreload"):
                (self.scripts if a.get("as") == "script" else self.stylesheets).append(a["href"])
            else:
                self.other_links.append((rel, a["href"]))
        elif tag == "img" and a.get("src"):
            self.images.append(a["src"])
        elif tag == "a":
            self.anchors.append(a)
        elif tag == "mjx-container":
            self.mjx += 1
        elif tag == "mjx-merror":
            self.mjx_errors += 1
        if tag in ("span", "div") and "math" in cls.split() and "notranslate" in cls.split():
            self.math_nodes += 1
        if tag in self.VOID:
            return
        self._stack.append(tag)
        if tag in self.SKIP_TEXT:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in self.VOID or tag not in self._stack:
            return
        while self._stack:
            t = self._stack.pop()
            if t in self.SKIP_TEXT:
                self._skip -= 1
            if t == tag:
                break

    def handle_data(self, data):
        if self._skip == 0:
            self.text.append(data)
        if self._stack and self._stack[-1] == "style":
            self.inline_styles.append(data)

    @property
    def visible_text(self) -> str:
        return " ".join(self.text)


def is_remote(url: str) -> bool:
    return urlparse(url).scheme in ("http", "https") or url.startswith("//")


def local_file(page: str, url: str) -> Path:
    """The file a relative URL of ``page`` points to (query and fragment dropped)."""
    path = unquote(urlparse(url).path)
    return (page_path(page).parent / path).resolve()


def static(page: str) -> Page:
    return Page(page_path(page).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- every page
@pytest.mark.parametrize("page", PAGES)
def test_math_is_typeset_by_local_mathjax(page, dom):
    built = static(page)
    mathjax = [s for s in built.scripts if "mathjax" in s.lower()]
    if built.math_nodes:
        assert mathjax, f"{page} has math but loads no MathJax"
    for src in mathjax:
        assert not is_remote(src), f"{page} loads MathJax from the internet: {src}"
        assert local_file(page, src).is_file(), f"{page} loads MathJax from {src}, which does not exist"
    after = Page(dom(page))
    assert after.mjx >= built.math_nodes, (
        f"{page}: {built.math_nodes} formulas in the HTML but only {after.mjx} typeset by MathJax")
    assert after.mjx_errors == 0, f"{page}: MathJax reports {after.mjx_errors} TeX errors"
    text = after.visible_text
    for raw in ("$$", "\\(", "\\)", "\\[", "\\]", "\\begin{", "\\frac"):
        assert raw not in text, f"{page}: raw TeX {raw!r} left in the text: ...{_around(text, raw)}..."


@pytest.mark.parametrize("page", PAGES)
def test_nothing_loaded_from_the_internet(page, dom):
    for source in (page_path(page).read_text(encoding="utf-8"), dom(page)):
        p = Page(source)
        remote = [u for u in p.scripts + p.stylesheets if is_remote(u)]
        remote += [u for rel, u in p.other_links if is_remote(u) and rel in ("icon", "shortcut icon", "manifest")]
        remote += re.findall(r"@import\s+(?:url\()?['\"]?(https?://[^'\")\s]+)", " ".join(p.inline_styles))
        assert not remote, f"{page} loads from the internet: {remote}"
        for src in p.scripts + p.stylesheets:
            if not src.startswith("data:"):
                assert local_file(page, src).is_file(), f"{page} refers to missing asset {src}"
    for css in static(page).stylesheets:
        body = re.sub(r"/\*.*?\*/", "", local_file(page, css).read_text(encoding="utf-8", errors="replace"),
                      flags=re.S)
        remote = re.findall(r"(?:@import\s+|url\()\s*['\"]?(https?://[^'\")\s]+)", body)
        assert not remote, f"{css} (used by {page}) loads from the internet: {remote}"


@pytest.mark.parametrize("page", PAGES)
def test_no_error_output(page):
    source = page_path(page).read_text(encoding="utf-8")
    p = Page(source)
    bad = [c for c in p.classes if "traceback" in c.split() or "output error" in c or "ipythontb" in c]
    assert not bad, f"{page} shows error output (classes {bad[:3]})"
    assert "Traceback (most recent call last)" not in source, f"{page} shows a traceback"


@pytest.mark.parametrize("page", PAGES)
def test_images_exist(page):
    for src in static(page).images:
        assert not is_remote(src), f"{page} shows a remote image {src}"
        if src.startswith("data:"):
            continue
        f = local_file(page, src)
        assert f.is_file() and f.stat().st_size > 0, f"{page}: image {src} is missing ({f})"


class Figures(html.parser.HTMLParser):
    """Every image in a page's article: its figure's caption number ("Fig. 6.1") and
    whether the cell that drew it hides its code (``hide-input``/``remove-input``)."""

    VOID = Page.VOID

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []      # {"src", "caption", "hidden"}
        self._stack: list[tuple[str, str]] = []   # (tag, class)
        self._figures: list[list[dict]] = []      # images of each open figure
        self._caption: list[str | None] = []
        self._in_number = False
        self.feed(source)

    def _inside(self, tag: str, cls: str = "") -> list[str]:
        return [c for t, c in self._stack if t == tag and (not cls or cls in c.split())]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "img" and self._inside("article"):
            cells = self._inside("div", "cell")
            hidden = bool(cells) and any(k in cells[-1].split() for k in ("tag_hide-input", "tag_remove-input"))
            img = {"src": a.get("src", ""), "caption": None, "hidden": hidden, "from_cell": bool(cells)}
            self.found.append(img)
            if self._figures:
                self._figures[-1].append(img)
        if tag == "span" and "caption-number" in cls.split():
            self._in_number = True
        if tag == "figure":
            self._figures.append([])
            self._caption.append(None)
        if tag not in self.VOID:
            self._stack.append((tag, cls))

    def handle_data(self, data):
        if self._in_number and self._caption:
            self._caption[-1] = (self._caption[-1] or "") + data

    def handle_endtag(self, tag):
        if tag == "span":
            self._in_number = False
        if tag == "figure" and self._figures:
            images, caption = self._figures.pop(), self._caption.pop()
            for img in images:
                img["caption"] = caption.strip() if caption else None
        if tag not in {t for t, _ in self._stack}:
            return
        while self._stack:
            t, _ = self._stack.pop()
            if t == tag:
                break


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_figure_is_numbered_captioned_and_drawn_by_a_hidden_cell(page):
    images = Figures(page_path(page).read_text(encoding="utf-8")).found
    bad = [f"{i['src'].rsplit('/', 1)[-1]}: " + ("no numbered caption" if not i["caption"] else "its code is shown")
           for i in images if not i["caption"] or (i["from_cell"] and not i["hidden"])]
    assert not bad, (f"{page}: figures need a numbered caption and a hidden cell (mystnb figure "
                     "caption + tags: [hide-input]):\n  " + "\n  ".join(bad))


@pytest.mark.parametrize("page", PAGES)
def test_no_code_line_scrolls(page, dom):
    """At a laptop's window width (1280 px), no code or output box scrolls sideways:
    a reader sees every line whole (STYLE.md: a printed line fits the code box)."""
    m = re.search(r'<div id="nncourse-overflow">(.*?)</div>', dom(page), re.S)
    assert m, f"the overflow probe did not run on {page}"
    lines = json.loads(html.unescape(m.group(1)))
    assert not lines, f"{page}: {len(lines)} code boxes scroll sideways; their longest lines:\n  " + "\n  ".join(lines)


# ---------------------------------------------------------------- chapter 1
def test_chapter_figures_are_real_images():
    from PIL import Image

    images = static(CHAPTER).images
    assert len(images) >= 8, f"expected the chapter's 8 figures, found {len(images)} images"
    for src in images:
        with Image.open(local_file(CHAPTER, src)) as im:
            im.verify()
        with Image.open(local_file(CHAPTER, src)) as im:
            assert im.width >= 200 and im.height >= 150, f"{src} is only {im.size}"


def test_chapter_has_no_stderr_output():
    source = page_path(CHAPTER).read_text(encoding="utf-8")
    assert "output stderr" not in source, "a cell of chapter 1 writes to stderr (a warning leaked)"


def graded_names(release: Path) -> list[str]:
    """The grade ids (function and class names) of a release's autograded answer cells
    (not the experiment's code cell, which is graded by hand)."""
    from nncourse.grading.notebook import Layout

    return list(Layout.of(json.loads(release.read_text())).code_answers)


def exercise_section(page: str) -> str:
    """The text of a built page's "Exercise" section (tags removed)."""
    source = page_path(page).read_text(encoding="utf-8")
    start = source.rfind('id="exercise"')
    assert start >= 0, f"{page} has no section 'Exercise'"
    return html.unescape(re.sub(r"<[^>]+>", "", source[start:]))


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_links_its_exercise_and_says_how_to_self_check(page):
    """A released exercise: the chapter's Exercise section links the notebook for download
    (the very file in exercises/), names every graded function, and gives the self-check
    command. Not released yet: the section says so and links nothing."""
    a = Path(page).name
    release = ROOT / "exercises" / a / f"{a}.ipynb"
    downloads = [x["href"] for x in static(page).anchors if "download" in (x.get("class") or "")]
    text = exercise_section(page)
    if not release.is_file():
        assert "not released yet" in text, f"{page}: no exercises/{a}/ and the page does not say so"
        assert not downloads, f"{page} links downloads {downloads} but has no released exercise"
        return
    target = [h for h in downloads if h.endswith(f"/{a}.ipynb")]
    assert target, f"{page}: no download link to {a}.ipynb (download links: {downloads})"
    f = local_file(page, target[0])
    assert f.is_file(), f"the download {target[0]} is not in the built site"
    assert f.read_bytes() == release.read_bytes(), f"{page} offers a stale copy of {release}"
    commands = (f"make check NB=exercises/{a}/{a}.ipynb", f"nncourse check exercises/{a}/{a}.ipynb")
    assert any(c in text for c in commands), f"{page}: the Exercise section gives no self-check command"
    missing = [n for n in graded_names(release) if n not in text]
    assert not missing, f"{page}: the Exercise section does not name the graded {missing}"


def test_every_released_exercise_has_its_chapter():
    released = sorted(p.parent.name for p in (ROOT / "exercises").glob("*/*.ipynb") if p.stem == p.parent.name)
    assert "ch01_neuron" in released
    orphans = [a for a in released if f"book/{a}" not in CHAPTERS]
    assert not orphans, f"released exercises whose chapter is not in _toc.yml: {orphans}"


# ---------------------------------------------------------------- screenshots
@pytest.mark.parametrize("page", ["book/intro", CHAPTER])
def test_screenshot_shows_a_page(page, book_build):
    import numpy as np
    from PIL import Image

    SHOTS.mkdir(parents=True, exist_ok=True)
    out = SHOTS / (page.replace("/", "_") + ".png")
    run_chromium("--virtual-time-budget=10000", "--window-size=1200,2000", f"--screenshot={out}",
                 page_path(page).as_uri())
    with Image.open(out) as im:
        a = np.asarray(im.convert("L"), dtype=float)
    assert a.shape == (2000, 1200)
    assert (a < 128).mean() > 0.005, f"{out} is (nearly) blank"


def _around(text: str, needle: str, width: int = 60) -> str:
    i = text.find(needle)
    return text[max(0, i - width): i + width].replace("\n", " ")
