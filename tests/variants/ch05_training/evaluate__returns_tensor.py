# task: evaluate
# expect: less
# Returns a 0-d tensor instead of a float.
@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    correct, count = torch.tensor(0), 0
    for x, y in loader:
        correct = correct + (model(x).argmax(dim=1) == y).sum()
        count += len(y)
    return correct / count
