# kind: deleted test cells (all four), with a wrong relu
# expect: relu 0, the other functions full marks: tests come from the instructor's notebook, not the submission
# max: relu=0
# tamper: delete tests
# %% relu
def relu(z):
    return np.minimum(z, 0.0)  # wrong
