# task: evaluate
# expect: less
# Returns the number of correct predictions, not the fraction.
@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    correct = 0
    for x, y in loader:
        correct += (model(x).argmax(dim=1) == y).sum().item()
    return correct
