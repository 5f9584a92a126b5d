"""A scalar reverse-mode autograd engine: the course's reference ``Value``.

Chapter 4 builds a small ``Value`` with ``+``, ``*``, ``tanh`` and
``backward`` in front of the reader; its exercise asks for the complete
engine. The chapter's experiments that need every operation (the check
against PyTorch, the MLP made of scalars) import this one instead, so that
the page never prints the exercise's answer.

A ``Value`` holds a number ``data``, the gradient ``grad`` of the output
that ``backward()`` was last called on (it starts at ``0.0`` and
accumulates), the ``Value``s it was computed from (``_prev``), the name of
its operation (``_op``, for :func:`nncourse.graphs.trace_graph`) and a
closure ``_backward`` that adds ``grad`` times the local derivatives into
the gradients of ``_prev``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Number = (int, float)


class Value:
    """A scalar node of a computational graph (see the module's docstring)."""

    __slots__ = ("data", "grad", "_prev", "_op", "_backward", "label")

    def __init__(self, data, _children: tuple = (), _op: str = "", label: str = ""):
        if isinstance(data, Value) or isinstance(data, bool) or not isinstance(data, (Number, np.number)):
            raise ValueError(f"Value(data) needs a real number, got {type(data).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_children)
        self._op = _op
        self._backward = _noop
        self.label = label

    def __repr__(self) -> str:
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    @staticmethod
    def _wrap(x) -> "Value":
        return x if isinstance(x, Value) else Value(x)

    def _unary(self, data: float, local: float, op: str) -> "Value":
        """A new node ``op(self)`` whose local derivative is ``local``."""
        out = Value(data, (self,), op)

        def _backward():
            self.grad += local * out.grad
        out._backward = _backward
        return out

    # --- operations with two inputs
    def __add__(self, other) -> "Value":
        other = Value._wrap(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other) -> "Value":
        other = Value._wrap(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __sub__(self, other) -> "Value":
        return self + (-Value._wrap(other))

    def __truediv__(self, other) -> "Value":
        return self * Value._wrap(other) ** -1

    def __radd__(self, other) -> "Value":
        return Value._wrap(other) + self

    def __rsub__(self, other) -> "Value":
        return Value._wrap(other) - self

    def __rmul__(self, other) -> "Value":
        return Value._wrap(other) * self

    def __rtruediv__(self, other) -> "Value":
        return Value._wrap(other) / self

    # --- operations with one input
    def __neg__(self) -> "Value":
        return self._unary(-self.data, -1.0, "neg")

    def __pow__(self, k) -> "Value":
        if isinstance(k, bool) or not isinstance(k, Number):
            raise ValueError(f"Value ** k needs a plain number k, got {type(k).__name__}")
        return self._unary(self.data ** k, k * self.data ** (k - 1), f"**{k:g}")

    def tanh(self) -> "Value":
        t = math.tanh(self.data)
        return self._unary(t, 1.0 - t * t, "tanh")

    def relu(self) -> "Value":
        on = self.data > 0
        return self._unary(self.data if on else 0.0, 1.0 if on else 0.0, "relu")  # 0 at the kink

    def exp(self) -> "Value":
        e = math.exp(self.data)
        return self._unary(e, e, "exp")

    def log(self) -> "Value":
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data:g}")
        return self._unary(math.log(self.data), 1.0 / self.data, "log")

    def sigmoid(self) -> "Value":
        a = self.data
        s = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))  # no overflow
        return self._unary(s, s * (1.0 - s), "sigmoid")

    # --- the backward pass
    def topological_order(self) -> list["Value"]:
        """Every node this one depends on (itself included), each after all of its inputs."""
        order, visited, stack = [], set(), [(self, False)]
        while stack:                         # depth-first, without recursion: long chains are fine
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
            elif id(node) not in visited:
                visited.add(id(node))
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        return order

    def backward(self) -> None:
        """Set ``self.grad = 1`` and add ``d self / d node`` to the grad of every node it depends on."""
        order = self.topological_order()
        self.grad = 1.0
        for node in reversed(order):         # every consumer of a node runs before the node
            node._backward()


def _noop():
    return None


def zero_grad(nodes) -> None:
    """Reset ``grad`` to 0 on every node of ``nodes`` (an iterable of ``Value``s)."""
    for v in nodes:
        v.grad = 0.0


def value_params(params: Sequence[tuple[np.ndarray, np.ndarray]]):
    """``[(W, b), ...]`` of arrays -> the same as nested lists of ``Value``s."""
    out = []
    for W, b in params:
        W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"each layer must be W (D, M), b (M,), got {W.shape} and {b.shape}")
        out.append(([[Value(w) for w in row] for row in W], [Value(v) for v in b]))
    return out


def value_mlp_loss(X: np.ndarray, y: np.ndarray, vparams) -> Value:
    """Mean softmax cross-entropy of an MLP (ReLU after every layer but the last), one scalar
    operation at a time; ``vparams`` from :func:`value_params`. Returns the loss node."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or len(X) != len(y) or len(X) == 0:
        raise ValueError(f"X must be (N, D) with N = len(y) > 0, got {X.shape} and {len(y)} labels")
    losses = []
    for x_row, label in zip(X, y):
        a = [float(v) for v in x_row]                         # plain numbers at the input
        for i, (W, b) in enumerate(vparams):
            if len(W) != len(a):
                raise ValueError(f"layer {i + 1} expects {len(W)} inputs, got {len(a)}")
            z = [sum((a[d] * W[d][m] for d in range(len(a))), b[m]) for m in range(len(b))]
            a = [zm.relu() for zm in z] if i < len(vparams) - 1 else z
        top = max(v.data for v in a)                          # a constant shift: no overflow
        losses.append(sum((zj - top).exp() for zj in a).log() + top - a[int(label)])
    return sum(losses) / len(losses)


def grads_of(vparams) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``grad`` of every ``Value`` in ``vparams`` as ``[(dW, db), ...]`` arrays."""
    return [(np.array([[w.grad for w in row] for row in W]), np.array([v.grad for v in b]))
            for W, b in vparams]
