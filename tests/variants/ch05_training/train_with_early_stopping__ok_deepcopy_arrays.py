# task: train_with_early_stopping
# expect: full
# A different correct fix: copy.deepcopy of the state, summed losses (reduction='sum') divided once,
# a patience counter that counts down, NumPy arrays and a NumPy integer returned (values, not forms, are judged).
def train_with_early_stopping(model, train_loader, val_loader, test_loader, optimizer, loss_fn,
                              epochs, patience):
    import copy

    import torch.nn.functional as F

    train_hist, val_hist = [], []
    best, best_at, saved, left = None, None, None, patience
    for ep in range(epochs):
        model.train(True)
        s, n = 0.0, 0
        for xb, yb in train_loader:
            optimizer.zero_grad(set_to_none=True)
            out = loss_fn(model(xb), yb)
            out.backward()
            optimizer.step()
            s += float(out) * yb.shape[0]
            n += yb.shape[0]
        train_hist.append(s / n)
        model.train(False)
        with torch.inference_mode():
            s = sum(F.cross_entropy(model(xb), yb, reduction="sum").item() for xb, yb in val_loader)
            n = sum(yb.shape[0] for _, yb in val_loader)
        val_hist.append(s / n)
        if best is None or val_hist[-1] < best:
            best, best_at, saved, left = val_hist[-1], ep + 1, copy.deepcopy(model.state_dict()), patience
        else:
            left -= 1
            if left == 0:
                break
    model.load_state_dict(saved)
    model.eval()
    with torch.no_grad():
        hits = sum(int((model(xb).argmax(1) == yb).sum()) for xb, yb in test_loader)
        total = sum(len(yb) for _, yb in test_loader)
    return np.array(train_hist), np.array(val_hist), np.int64(best_at), np.float32(hits / total)
