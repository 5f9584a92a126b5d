# task: evaluate
# expect: less
# Forgets torch.no_grad(): every forward pass builds a graph for nothing.
def evaluate(model, loader):
    model.eval()
    correct, count = 0, 0
    for x, y in loader:
        correct += (model(x).argmax(dim=1) == y).sum().item()
        count += len(y)
    return correct / count
