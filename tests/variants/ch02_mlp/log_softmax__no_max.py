# task: log_softmax
# expect: less
# No maximum subtracted: exp overflows for large logits, and the sum is 0 for very negative ones.
def log_softmax(Z):
    return Z - np.log(np.exp(Z).sum(axis=-1, keepdims=True))
