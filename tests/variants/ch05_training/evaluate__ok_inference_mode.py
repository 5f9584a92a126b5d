# task: evaluate
# expect: full
# A different correct formulation: torch.inference_mode(), counts kept as tensors, one float at the end.
def evaluate(model, loader):
    model.train(False)
    hits = torch.zeros((), dtype=torch.long)
    seen = 0
    with torch.inference_mode():
        for inputs, targets in loader:
            hits += (model(inputs).argmax(1) == targets).sum()
            seen += targets.numel()
    return hits.item() / seen
