# kind: network access: TCP to a server the test runs on 127.0.0.1, to external IPs, DNS, urllib, and an abstract unix socket the test listens on
# expect: sigmoid 0 and no connection reaches the test's servers (new network namespace: no interfaces)
# max: sigmoid=0
# see: 127\.0\.0\.1:\d+ \w+Error
# never: CONNECTED
# %% sigmoid
import socket
import urllib.request


def _try(what, fn):
    try:
        fn()
        return f"{what} CONNECTED"
    except Exception as e:  # noqa: BLE001
        return f"{what} {type(e).__name__}"


def _tcp(host, port):
    s = socket.create_connection((host, port), timeout=2)
    s.sendall(b"@@MARKER@@")
    s.close()


def _unix():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect("\0@@ABSTRACT@@")
    s.close()


def sigmoid(z):
    port = int("@@PORT@@")
    results = [_try(f"127.0.0.1:{port}", lambda: _tcp("127.0.0.1", port)),
               _try("1.1.1.1:53", lambda: _tcp("1.1.1.1", 53)),
               _try("8.8.8.8:443", lambda: _tcp("8.8.8.8", 443)),
               _try("dns example.com", lambda: socket.getaddrinfo("example.com", 80)),
               _try("urllib", lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)),
               _try("abstract unix socket", _unix)]
    raise ConnectionError("; ".join(results))
