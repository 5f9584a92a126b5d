# kind: torch hidden from the static check: __import__('tor' + 'ch') inside sigmoid
# expect: sigmoid 0: the import fails in the sandbox with a message naming the rule; the other functions full marks
# max: sigmoid=0
# see: torch is not allowed in this exercise
# %% sigmoid
def sigmoid(z):
    t = __import__("tor" + "ch")
    return t.sigmoid(t.from_numpy(np.asarray(z, dtype=np.float64))).numpy()
