# kind: duplicated cells with conflicting definitions: a correct relu cell copied before a wrong one (same grade_id), and a copied test cell (nbgrader stops the whole batch on this: jupyter/nbgrader#1083)
# expect: relu 0 (the last copy is graded, with a message); the other functions full marks; the batch goes on
# max: relu=0
# see: the answer cell 'relu' appears 2 times
# tamper: dup-cell test_relu
# %% relu +dup
def relu(z):
    return np.maximum(z, 0.0)
# %% relu
def relu(z):
    return np.minimum(z, 0.0)  # wrong, and last
