"""A chapter is read in one sitting, and tells the reader what it is for.

Static checks of every chapter's source (no build needed): the prose budget
(``nncourse.book.prose_words``: text outside code cells and display math),
learning objectives with a time estimate at the top, and a "You can now"
checklist at the end. The built pages' figures (numbered, captioned, drawn by
a hidden cell) and code boxes (no sideways scrolling) are checked in
``test_book.py``.
"""

from __future__ import annotations

import re

import pytest

from nncourse import book

CHAPTERS = book.chapters()


def _source(page: str) -> str:
    return (book.ROOT / f"{page}.md").read_text(encoding="utf-8")


def _admonitions(text: str) -> list[tuple[int, str, str]]:
    """(offset, title, body) of every ``{admonition}`` fenced with backticks or colons."""
    pat = re.compile(r"^(`{3,}|:{3,})\{admonition\}\s*(.*?)\n(.*?)^\1\s*$", re.S | re.M)
    return [(m.start(), m.group(2).strip(), m.group(3)) for m in pat.finditer(text)]


def _items(body: str) -> list[str]:
    return re.findall(r"^\s*[-*] (.+)$", body, re.M)


@pytest.mark.parametrize("page", CHAPTERS)
def test_prose_fits_one_sitting(page):
    n = book.prose_words(page)
    assert n <= book.PROSE_WORDS_MAX, (f"{page} has {n} words of prose (at most {book.PROSE_WORDS_MAX}): move "
                                       "a digression to the appendix or trim")


@pytest.mark.parametrize("page", CHAPTERS)
def test_opens_with_objectives_and_a_time_estimate(page):
    text = _source(page)
    first_section = text.find("\n## ")
    found = [(at, body) for at, title, body in _admonitions(text) if title.lower() == "learning objectives"]
    assert found, f"{page}: no ```{{admonition}} Learning objectives``` at the top"
    at, body = found[0]
    assert at < first_section, f"{page}: the learning objectives come after the first section"
    assert re.search(r"\*\*Time:?\*\*:? .*\d.*(hour|minute)", body), \
        f"{page}: the objectives give no time estimate ('**Time:** about 3 hours ...')"
    assert len(_items(body)) >= 3, f"{page}: fewer than 3 learning objectives"


@pytest.mark.parametrize("page", CHAPTERS)
def test_ends_with_a_you_can_now_checklist(page):
    text = _source(page)
    found = [(at, body) for at, title, body in _admonitions(text) if title.lower() == "you can now"]
    assert found, f"{page}: no ```{{admonition}} You can now``` checklist"
    at, body = found[-1]
    last_code = text.rfind("```{code-cell}")
    assert at > last_code, f"{page}: the 'You can now' checklist is not after the chapter's last code cell"
    items = _items(body)
    assert len(items) >= 4 and all(i.startswith("[ ] ") for i in items), \
        f"{page}: the checklist needs at least 4 items written '- [ ] ...'"


def test_prose_counts_words_outside_code_and_math(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("---\njupytext: {}\n---\n# Title words\n\nOne two $x^2$ three.\n\n"
                    "```{code-cell} ipython3\nprint('not prose at all')\n```\n\n$$\na + b = c\n$$\n\n"
                    "```{admonition} Note\n:class: tip\nFour five.\n```\n<!-- hidden comment -->\n")
    assert book.prose_words("p", root=tmp_path) == 8   # Title words One two x three Four five
