# task: Value
# expect: full
# Correct, in the chapter's style (a _backward closure per node), with every operator written out and
# the order found by Kahn's algorithm: a node runs once all the nodes computed from it have run.
class Value:
    def __init__(self, data, _children=()):
        self.data = float(data)
        self.grad = 0.0
        self._prev = list(_children)
        self._backward = lambda: None

    @staticmethod
    def _wrap(x):
        return x if isinstance(x, Value) else Value(x)

    def _binary(self, other, data, da, db):
        other = Value._wrap(other)
        out = Value(data(self.data, other.data), (self, other))
        def _backward():
            self.grad += da(self.data, other.data) * out.grad
            other.grad += db(self.data, other.data) * out.grad
        out._backward = _backward
        return out

    def _unary(self, data, d):
        out = Value(data, (self,))
        def _backward():
            self.grad += d * out.grad
        out._backward = _backward
        return out

    def __add__(self, o): return self._binary(o, lambda a, b: a + b, lambda a, b: 1.0, lambda a, b: 1.0)
    def __sub__(self, o): return self._binary(o, lambda a, b: a - b, lambda a, b: 1.0, lambda a, b: -1.0)
    def __mul__(self, o): return self._binary(o, lambda a, b: a * b, lambda a, b: b, lambda a, b: a)
    def __truediv__(self, o):
        return self._binary(o, lambda a, b: a / b, lambda a, b: 1.0 / b, lambda a, b: -a / (b * b))
    def __radd__(self, o): return Value._wrap(o) + self
    def __rsub__(self, o): return Value._wrap(o) - self
    def __rmul__(self, o): return Value._wrap(o) * self
    def __rtruediv__(self, o): return Value._wrap(o) / self
    def __neg__(self): return self._unary(-self.data, -1.0)
    def __pow__(self, k): return self._unary(self.data ** k, k * self.data ** (k - 1))
    def tanh(self):
        t = math.tanh(self.data)
        return self._unary(t, 1.0 - t ** 2)
    def relu(self): return self._unary(self.data if self.data > 0 else 0.0, 1.0 if self.data > 0 else 0.0)
    def exp(self):
        e = math.exp(self.data)
        return self._unary(e, e)
    def log(self): return self._unary(math.log(self.data), 1.0 / self.data)
    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.data))
        return self._unary(s, s * (1.0 - s))

    def backward(self):
        # count, for every node, how many times it is used by nodes that depend on it
        users, stack, seen = {}, [self], {id(self)}
        while stack:
            v = stack.pop()
            for c in v._prev:
                users[id(c)] = users.get(id(c), 0) + 1
                if id(c) not in seen:
                    seen.add(id(c))
                    stack.append(c)
        self.grad = 1.0
        ready = [self]
        while ready:
            v = ready.pop()
            v._backward()
            for c in v._prev:
                users[id(c)] -= 1
                if users[id(c)] == 0:
                    ready.append(c)
