# kind: values that claim equality: an object with __eq__ always True and a lying __array__, an ndarray subclass overriding __eq__/__array__/__array_ufunc__, a float subclass equal to everything
# expect: 0 for the three functions: only plain arrays and numbers cross the boundary, compared by the grader
# max: sigmoid=0 relu=0 perceptron_train=0
# see: got an object of type __main__.AlwaysEqual
# see: values differ
# replay: yes
# %% sigmoid
class AlwaysEqual:
    shape = None

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

    def __array__(self, dtype=None, copy=None):
        return np.zeros(3)

    def __float__(self):
        return 0.5


def sigmoid(z):
    r = AlwaysEqual()
    r.shape = np.shape(z)
    return r
# %% relu
class Sneaky(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

    def __ne__(self, other):
        return np.zeros(np.shape(other), dtype=bool)

    def __array__(self, dtype=None, copy=None):
        return np.maximum(np.asarray(self.view(np.ndarray)), 0.0)  # "I am the right answer"

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(1, dtype=bool)


def relu(z):
    return np.minimum(z, 0.0).view(Sneaky)  # wrong values underneath
# %% perceptron_train
class Whatever(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__


class EqualArray(np.ndarray):
    def __eq__(self, other):
        return True


def perceptron_train(X, y, lr=1.0, epochs=10):
    return np.zeros(X.shape[1]).view(EqualArray), Whatever(0.0)
