# kind: edited test cells: every test cell replaced by `print("all checks passed")` or `pass`, with a wrong sigmoid
# expect: sigmoid 0: the submission's test cells are never run (the graded notebook shows the release's tests)
# max: sigmoid=0
# tamper: set-source test_sigmoid "print('sigmoid: all checks passed')"
# tamper: set-source test_relu "pass"
# tamper: set-source test_neuron_forward "pass"
# tamper: set-source test_perceptron_train "pass"
# %% sigmoid
def sigmoid(z):
    return np.tanh(np.asarray(z, dtype=np.float64))  # wrong
