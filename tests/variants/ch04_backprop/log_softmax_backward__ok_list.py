# task: log_softmax_backward
# expect: full
# Correct, one vector at a time over the flattened leading axes, returning plain nested lists of floats
# reshaped back to an array only at the end.
def log_softmax_backward(dout, Z):
    shape = np.shape(Z)
    z2 = np.reshape(Z, (-1, shape[-1]))
    g2 = np.reshape(dout, (-1, shape[-1]))
    rows = []
    for z, g in zip(z2, g2):
        e = np.exp(z - z.max())
        p = e / e.sum()
        rows.append([float(v) for v in g - p * g.sum()])
    return np.array(rows).reshape(shape)
