# task: evaluate
# expect: full
# A correct evaluate that returns a NumPy float32 scalar (the value is what counts, not the scalar type).
def evaluate(model, loader):
    model.eval()
    hits, n = 0, 0
    with torch.no_grad():
        for x, y in loader:
            hits += (model(x).argmax(dim=1) == y).sum().item()
            n += y.numel()
    return np.float32(hits / n)
