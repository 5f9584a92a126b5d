# kind: disk flood: 1 MiB files written until refused, in every writable place (/tmp, its folder, /dev/shm, /, /root, /var/tmp)
# expect: sigmoid 0 (it reports what it wrote: at most the 64 MiB tmpfs in each of /tmp, /submission and /dev/shm; nothing elsewhere); the other functions full marks
# max: sigmoid=0
# see: disk flood: /tmp (\d|[1-5]\d|6[0-4]) MiB, /submission (\d|[1-5]\d|6[0-4]) MiB, /dev/shm (\d|[1-5]\d|6[0-4]) MiB, / 0 MiB, /root 0 MiB, /var/tmp 0 MiB
# %% sigmoid
import os

block = b"x" * (1 << 20)
written = {}
for d in ("/tmp", "/submission", "/dev/shm", "/", "/root", "/var/tmp"):
    n = 0
    try:
        while n < 4096:
            with open(os.path.join(d, f"flood-{n}"), "wb") as f:
                f.write(block)
            n += 1
    except OSError:
        pass
    written[d] = n
    for k in range(n):  # make room for the next one (all share its memory limit)
        os.remove(os.path.join(d, f"flood-{k}"))


def sigmoid(z):
    raise OSError("disk flood: " + ", ".join(f"{d} {n} MiB" for d, n in written.items()))
