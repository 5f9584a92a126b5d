# kind: a second notebook in the folder (backup.ipynb, every answer right) next to the real one, whose sigmoid is wrong
# expect: sigmoid 0: only ch01_neuron.ipynb is graded
# max: sigmoid=0
# tamper: extra-notebook backup.ipynb
# %% sigmoid
def sigmoid(z):
    return np.tanh(np.asarray(z, dtype=np.float64))  # wrong
