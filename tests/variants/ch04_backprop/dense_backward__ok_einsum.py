# task: dense_backward
# expect: full
# A different correct formulation: the index sums written out with einsum.
def dense_backward(dout, X, W):
    dX = np.einsum("nm,dm->nd", dout, W)
    dW = np.einsum("nd,nm->dm", X, dout)
    db = np.einsum("nm->m", dout)
    return dX, dW, db
