# kind: the notebook renamed (my_ch01.ipynb), with a wrong sigmoid
# expect: graded anyway, with a message: sigmoid 0, the other functions full marks
# max: sigmoid=0
# see: the notebook was renamed to 'my_ch01.ipynb'
# tamper: rename my_ch01.ipynb
# %% sigmoid
def sigmoid(z):
    return np.tanh(np.asarray(z, dtype=np.float64))  # wrong
