"""Probes of ``ch04_backprop``: how the class ``Value`` is driven.

A class cannot cross the sandbox boundary, so the grader sends a *program*,
a list of scalar operations, and the probe ``value_ops`` builds it with the
student's class and calls ``backward()`` on the last node. Instruction ``k``
makes node ``vk``:

- ``("leaf", x)``: ``Value(x)`` (``x`` an int or a float, as given);
- ``("add"|"sub"|"mul"|"div", a, b)``: ``a <op> b``, each operand a node index
  (int) or ``("num", c)``, the plain number ``c`` (so numbers on either side);
- ``("neg", i)``: ``-vi``; ``("pow", i, k)``: ``vi ** k``;
- ``("tanh"|"relu"|"exp"|"log"|"sigmoid", i)``: ``vi.tanh()`` and so on;
- ``("sum", (i, j, ...))``: Python's ``sum`` of those nodes (it starts from
  the int 0, so it needs ``__radd__``).

It reports ``(data, grad, grad_before)``: every node's ``data`` and ``grad``
after ``backward()`` as float64 arrays, and every ``grad`` just before it.
Values are judged as values: ``Value(3).data`` may stay the int 3.

The same probe runs in the sandbox, in the notebook's visible checks and in
the grader. It needs only Python and NumPy (torch is not importable here).
"""

import warnings

BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b,
          "mul": lambda a, b: a * b, "div": lambda a, b: a / b}
METHODS = ("tanh", "relu", "exp", "log", "sigmoid")
SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


def describe_instruction(k, ins, number=None):
    """``v5 = c * v3``: instruction ``k``; ``number`` formats plain numbers (``c`` without it)."""
    op = ins[0]
    num = number or (lambda x: "c")
    name = lambda x: f"v{x}" if type(x) is int else num(x[1])  # noqa: E731
    if op == "leaf":
        rhs = f"Value({num(ins[1])})"
    elif op in BINARY:
        rhs = f"{name(ins[1])} {SYMBOL[op]} {name(ins[2])}"
    elif op == "neg":
        rhs = f"-v{ins[1]}"
    elif op == "pow":
        rhs = f"v{ins[1]} ** {number(ins[2]) if number else 'k'}"
    elif op == "sum":
        rhs = f"sum([{', '.join(f'v{i}' for i in ins[1])}])"
    else:
        rhs = f"v{ins[1]}.{op}()"
    return f"v{k} = {rhs}"


def run_value_ops(Value, program):
    """Build ``program`` with the class ``Value``, call ``backward()`` on its last node."""
    nodes = []

    def operand(x):
        return nodes[x] if type(x) is int else x[1]

    def step(what, fn):
        try:
            return fn()
        except Exception as e:
            try:  # the student's own exception, saying where it happened
                e.args = (f"{what}: {e}" if str(e) else what,)
            except Exception:  # noqa: BLE001
                pass
            raise

    def build(ins):
        op = ins[0]
        if op == "leaf":
            return Value(ins[1])
        if op in BINARY:
            return BINARY[op](operand(ins[1]), operand(ins[2]))
        if op == "neg":
            return -nodes[ins[1]]
        if op == "pow":
            return nodes[ins[1]] ** ins[2]
        if op == "sum":
            return sum(nodes[i] for i in ins[1])
        if op in METHODS:
            return getattr(nodes[ins[1]], op)()
        raise ValueError(f"unknown Value program instruction {op!r}")

    for k, ins in enumerate(program):
        nodes.append(step(f"computing {describe_instruction(k, ins)}", lambda: build(ins)))
    floats = lambda attr: np.array([float(getattr(v, attr)) for v in nodes], dtype=np.float64)  # noqa: E731
    data = step("reading .data", lambda: floats("data"))
    before = step("reading .grad before backward()", lambda: floats("grad"))
    step(f"calling v{len(nodes) - 1}.backward()", nodes[-1].backward)
    grad = step("reading .grad after backward()", lambda: floats("grad"))
    return data, grad, before


def probe_value_ops(cls, args, kwargs, ns):
    """``run_value_ops(cls, program)``: its value and the warnings raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = np.seterr(all="warn", under="ignore")
        try:
            value = run_value_ops(cls, *args, **kwargs)
        finally:
            np.seterr(**old)
    return {"value": wire.encode(value), "args_after": [None for _ in args],
            "warnings": [f"{w.category.__name__}: {str(w.message)[:120]}" for w in caught[:5]]}


PROBES = {"value_ops": probe_value_ops}
