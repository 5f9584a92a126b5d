# task: evaluate
# expect: less
# Forgets model.eval(): dropout stays on and batch norm uses (and updates) batch statistics.
@torch.no_grad()
def evaluate(model, loader):
    correct, count = 0, 0
    for x, y in loader:
        correct += (model(x).argmax(dim=1) == y).sum().item()
        count += len(y)
    return correct / count
