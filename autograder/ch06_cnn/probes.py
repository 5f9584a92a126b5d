"""Probes of ``ch06_cnn``: how ``build_cnn`` is called, in the sandbox, the notebook and the grader.

The same code runs in all three places (see ``harness.load_probes``); it gets
``wire``, ``np`` and ``captured`` and imports torch inside its functions. The
sandbox cannot import the course package, so the training loop is written out
here: it is chapter 5's ``nncourse.training.train_one_epoch`` (mean
cross-entropy, AdamW, batches in a seeded random order) with chapter 6's
cosine decay of the learning rate to 0 over the training (stepped after every
batch: with two epochs, a step per epoch would only halve it once).

- ``cnn_outputs(build_cnn, [seed, class_counts])``: for every ``C`` in
  ``class_counts``, ``build_cnn(C)`` with ``torch.manual_seed(seed)``; reports
  ``(output shape, number of trainable parameters, outputs)`` for a batch of 5
  random images ``(5, 1, 28, 28)`` (eval mode, no gradients). A value that is
  not an ``nn.Module`` raises ``TypeError``.
- ``train_and_predict(build_cnn, [seed, train_images, train_labels,
  test_images])``: standardises the uint8 images with the training images' mean
  and standard deviation, builds ``build_cnn(10)`` after
  ``torch.manual_seed(seed)``, predicts the test images once before training,
  trains for ``EPOCHS`` epochs and predicts them again. ``train_images`` is a
  tuple of ``(n, 28, 28)`` uint8 arrays (one value crossing the sandbox
  boundary holds at most 5,000,000 numbers). It never sees the test labels: it
  reports ``(predicted labels after training, before training, the mean
  training loss of every epoch, CPU seconds of the training)``; the grader
  computes the accuracy and holds the CPU time to the budget.

A fixed seed, a fixed number of steps and one thread make a run reproducible
on one machine. The time budget is CPU time (``time.process_time``), which
other jobs on the machine hardly change; the call's wall-clock limit
(``Case.seconds``) is only a generous backstop.
"""

EPOCHS = 2
BATCH_SIZE = 64
LEARNING_RATE = 3e-3


def _one_thread():
    """Run torch on one thread (as the grader does); return a function that restores the old count."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    return lambda: torch.set_num_threads(before)


def _module(build_cnn, num_classes):
    import torch

    model = build_cnn(num_classes)
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"build_cnn({num_classes}) returned {type(model).__name__}, not a torch.nn.Module")
    return model


def probe_cnn_outputs(build_cnn, args, kwargs, ns):
    import torch

    seed, class_counts = args
    restore = _one_thread()

    def shapes():
        out = []
        for c in class_counts:
            torch.manual_seed(int(seed))
            model = _module(build_cnn, int(c)).eval()
            with torch.no_grad():
                y = model(torch.randn(5, 1, 28, 28))
            n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
            out.append((tuple(int(s) for s in y.shape), int(n_params), y.detach().double().numpy()))
        return tuple(out)

    try:
        value, warns = captured(shapes)
    finally:
        restore()
    return {"value": wire.encode(value), "args_after": [None, None], "warnings": warns}


def _predict(model, X):
    import torch

    model.eval()
    with torch.no_grad():
        return torch.cat([model(X[i:i + 500]).argmax(dim=1) for i in range(0, len(X), 500)]).numpy()


def _train(build_cnn, seed, X, y):
    """Chapter 6's recipe: ``(model before training, trained model, epoch losses, CPU seconds)``."""
    import copy
    import time

    import torch
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(int(seed))
    model = _module(build_cnn, 10)
    untrained = copy.deepcopy(model)
    loader = DataLoader(TensorDataset(X, y), batch_size=BATCH_SIZE, shuffle=True,
                        generator=torch.Generator().manual_seed(int(seed)))
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, EPOCHS * len(loader))
    loss_fn = torch.nn.CrossEntropyLoss()
    losses = []
    start = time.process_time()
    for _ in range(EPOCHS):
        model.train()
        total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(yb)
        losses.append(total / len(y))
    return untrained, model, np.array(losses), time.process_time() - start


_LAST = {}   # the last training: {(build_cnn, seed, digest of the data): (untrained, trained, losses, seconds)}


def train_and_predict(build_cnn, seed, train_images, train_labels, test_images):
    """Train with chapter 6's recipe on the given images, predict ``test_images``:
    ``(pred after, pred before, epoch losses, CPU seconds)``. The last training is kept: a
    second call with the same ``build_cnn``, seed and training data (the hidden check,
    on other held-out images) only predicts."""
    import hashlib

    import torch

    images = np.concatenate([np.asarray(a, dtype=np.uint8) for a in train_images])
    labels = np.asarray(train_labels, dtype=np.int64)
    X = torch.from_numpy(images).float().div(255).unsqueeze(1)                # (N, 1, 28, 28)
    mean, std = X.mean(), X.std()
    X_test = (torch.from_numpy(np.asarray(test_images, dtype=np.uint8)).float().div(255).unsqueeze(1)
              - mean) / std                                                     # (M, 1, 28, 28)
    key = (build_cnn, int(seed), hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest())
    try:
        run = _LAST.get(key)
    except TypeError:  # an unhashable callable: no reuse
        key, run = None, None
    if run is None:
        run = _train(build_cnn, seed, (X - mean) / std, torch.from_numpy(labels))
        _LAST.clear()
        if key is not None:
            _LAST[key] = run
    untrained, model, losses, seconds = run
    return _predict(model, X_test), _predict(untrained, X_test), losses, seconds


def probe_train_and_predict(build_cnn, args, kwargs, ns):
    restore = _one_thread()
    try:
        value, warns = captured(train_and_predict, build_cnn, *args)
    finally:
        restore()
    return {"value": wire.encode(value), "args_after": [None for _ in args], "warnings": warns}


PROBES = {"cnn_outputs": probe_cnn_outputs, "train_and_predict": probe_train_and_predict}
