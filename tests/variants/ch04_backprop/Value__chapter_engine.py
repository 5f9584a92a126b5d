# task: Value
# expect: zero
# The chapter's small engine (+, * and tanh only): every check needs an operation it lacks.
class Value:
    """A scalar that remembers how it was computed: + * tanh only."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = float(data)
        self.grad = 0.0                # d(output)/d(self), from backward()
        self._prev = tuple(_children)  # the Values it was computed from
        self._op = _op                 # the operation that computed it
        self._backward = lambda: None  # sends self.grad on to the children
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")
        def _backward():
            self.grad += out.grad               # passed on unchanged
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")
        def _backward():
            self.grad += other.data * out.grad  # times the other input
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")
        def _backward():
            self.grad += (1.0 - t * t) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        """Set .grad of every Value this one depends on to d(self)/d(it)."""
        # 1. Topological order: each node after all the nodes it was
        #    computed from. A depth-first search with an explicit stack,
        #    so long chains cannot hit Python's recursion limit.
        order, visited, stack = [], set(), [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))  # comes back after its children
                stack.extend((child, False) for child in node._prev)
        # 2. Walk it in reverse: every consumer of a node runs before it,
        #    so a node's grad is complete when it is passed on.
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
