# task: Value
# expect: less
# Recurses from the output, each node once, as soon as it is first reached (depth-first pre-order):
# a node used several times may pass its grad on before all its uses have added to it.
class Value:
    def __init__(self, data, _prev=(), _local=()):
        self.data = float(data)
        self.grad = 0.0
        self._prev = _prev      # children
        self._local = _local    # d self / d child, one per child

    def __add__(self, o):
        o = o if isinstance(o, Value) else Value(o)
        return Value(self.data + o.data, (self, o), (1.0, 1.0))

    def __mul__(self, o):
        o = o if isinstance(o, Value) else Value(o)
        return Value(self.data * o.data, (self, o), (o.data, self.data))

    def __pow__(self, k):
        return Value(self.data ** k, (self,), (k * self.data ** (k - 1),))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,))

    def relu(self):
        return Value(max(self.data, 0.0), (self,), (float(self.data > 0),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), (e,))

    def log(self):
        return Value(math.log(self.data), (self,), (1.0 / self.data,))

    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.data))
        return Value(s, (self,), (s * (1.0 - s),))

    def __neg__(self): return self * -1
    def __sub__(self, o): return self + (-o)
    def __truediv__(self, o): return self * o ** -1
    def __radd__(self, o): return self + o
    def __rsub__(self, o): return -self + o
    def __rmul__(self, o): return self * o
    def __rtruediv__(self, o): return self ** -1 * o

    def backward(self):
        self.grad = 1.0
        seen = set()
        def go(v):
            if v in seen:
                return
            seen.add(v)
            for c, d in zip(v._prev, v._local):
                c.grad += d * v.grad
            for c in v._prev:
                go(c)
        go(self)
