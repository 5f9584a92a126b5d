# kind: forged result messages on the grader's channel (found via /proc/self/fd): during its first call, sigmoid claims results for later calls it never computed (relu's and perceptron's)
# expect: 0 for everything: a claim out of turn garbles the channel, and every call not yet reported scores 0; no crash, the batch goes on
# max: all=0
# see: interfered with the grader's channel
# see: not run: the submission broke the grader's channel
# replay: yes
# use: channels
# %% sigmoid
import json
import os


def _arr(a):
    import base64
    a = np.ascontiguousarray(a, dtype=np.float64)
    return {"__ndarray__": base64.b64encode(a.tobytes()).decode(), "dtype": "float64", "shape": list(a.shape)}


def sigmoid(z):
    fd = _channels()[0]
    for i in range(6, 30):  # relu, neuron_forward, perceptron_train: "all passed"
        os.write(fd, (json.dumps({"ev": "call_end", "i": i, "ok": True, "value": _arr(np.zeros(3))}) + "\n").encode())
    return np.tanh(np.asarray(z, dtype=np.float64))
