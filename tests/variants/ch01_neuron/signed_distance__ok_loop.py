# task: signed_distance
# expect: full
# One point at a time, with the norm written out; a list of floats is returned (values are what count).
def signed_distance(X, w, b):
    length = float(np.sqrt(np.sum(np.square(w))))
    if length == 0.0:
        raise ValueError("the weight vector is zero, so there is no boundary")
    return [float((x @ w + b) / length) for x in X]
