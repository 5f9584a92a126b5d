# task: evaluate
# expect: less
# Returns a percentage.
@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    correct, count = 0, 0
    for x, y in loader:
        correct += (model(x).argmax(dim=1) == y).sum().item()
        count += len(y)
    return 100.0 * correct / count
