# kind: thread flood: threads that sleep forever, started until it fails
# expect: sigmoid 0 (it reports how many it got; a thread counts as a process); the other functions full marks
# max: sigmoid=0
# see: thread flood: \d+ threads started, then
# %% sigmoid
import threading
import time

count, last = 0, None
while count < 100_000:
    try:
        threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()
        count += 1
    except RuntimeError as e:
        last = e
        break


def sigmoid(z):
    raise RuntimeError(f"thread flood: {count} threads started, then {type(last).__name__}: {last}")
