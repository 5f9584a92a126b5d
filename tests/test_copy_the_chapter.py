"""The book never prints a graded answer: pasting it earns at most 5% of any assignment.

``nncourse.grading.copy_chapter`` builds, from the book's sources, the
submission of a student who pastes the chapter (same-named definitions of
chapters 1..K, and functions of chapter K with the graded function's
parameters, renamed) and grades it with the real grade command. The first
tests check what it reads on small made-up pages; the last grades every
assignment's copy.
"""

import textwrap

import pytest

from nncourse.grading import copy_chapter as cc
from nncourse.grading import release

LIMIT = 0.05

PAGE = '''\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A made-up chapter

```{code-cell} ipython3
import numpy as np
from nncourse.grading.checks import describe

def shown(z):
    def inner(X, W):
        return X @ W
    return z

class Engine:
    def __init__(self, data, label=""):
        self.data = data
    def relu(self):
        return self
```

```{code-cell} ipython3
:tags: [remove-input]
def hidden_one(z):
    return z
```

```{code-cell} ipython3
:tags: [remove-input]
import inspect
print(inspect.getsource(describe))
```

```{code-cell} ipython3
:tags: [remove-cell]
import inspect
print(inspect.getsource(describe))
```

Prose with a fence:

```python
def in_prose(a, b=2):
    return a + b
```

```{literalinclude} ../helper.py
:pyobject: included
```
'''

HELPER = '''\
def included(x):
    return 2 * x


def not_included(x):
    return 3 * x
'''


@pytest.fixture
def page(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "ch01_made_up.md").write_text(PAGE)
    (tmp_path / "helper.py").write_text(HELPER)
    return tmp_path


def test_what_a_page_shows(page):
    shown = {d.name: d for d in cc.shown_definitions("book/ch01_made_up", page)}
    # visible cells (nested functions too, a class with its methods), the fence, the included object,
    # and the source printed by getsource in a cell whose input (not output) is removed
    assert set(shown) == {"shown", "inner", "Engine", "in_prose", "included", "describe"}
    assert shown["inner"].params == ("X", "W")
    assert shown["Engine"].params == ("data", "label")
    assert shown["in_prose"].params == ("a", "b")
    assert "2 * x" in shown["included"].source and "3 * x" not in shown["included"].source
    assert "getsource(describe)" in shown["describe"].where
    assert shown["inner"].source.startswith("def inner(X, W):")


def test_definitions_drop_magics_and_skip_methods():
    code = textwrap.dedent('''\
        %matplotlib inline
        class A:
            def method(self, z):
                return z
        def f(x, *args, k=1, **kw):
            return x
        ''')
    names = {d.name: d.params for d in cc.definitions(code, "ch01_x", "cell")}
    assert names == {"A": (), "f": ("x", "*args", "k", "**kw")}


def test_renamed_keeps_the_body():
    out = cc._renamed("def shown(z):\n    return z * 2\n", "relu")
    assert out.startswith("def relu(z):") and "z * 2" in out


@pytest.mark.parametrize("assignment", release.assignments())
def test_copying_the_chapter_earns_at_most_5_percent(assignment, tmp_path):
    res = cc.grade_copy(assignment, tmp_path)
    assert res.total > 0
    assert res.fraction <= LIMIT, res.report()
