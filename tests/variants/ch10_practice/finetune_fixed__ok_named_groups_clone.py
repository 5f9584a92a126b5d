# task: finetune_fixed
# expect: full
# Correct: groups by parameter name, gradients zeroed in place (set_to_none=False), the best
# state kept as a dict of cloned tensors, accuracies with torch.
def finetune_fixed(model, train_batches, val_batches, epochs, lr, body_lr,
                   optimizer_class=torch.optim.SGD):
    head = [p for n, p in model.named_parameters() if n.startswith("head.")]
    body = [p for n, p in model.named_parameters() if not n.startswith("head.")]
    optimizer = optimizer_class([{"params": head}, {"params": body, "lr": body_lr}], lr=lr, momentum=0.9)
    history, best_acc, best_state = [], None, None
    for _ in range(epochs):
        model.train()
        for x, y in train_batches:
            optimizer.zero_grad(set_to_none=False)
            F.cross_entropy(model(x), y).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            hits = sum(int((model(x).argmax(1) == y).sum()) for x, y in val_batches)
            n = sum(len(y) for _, y in val_batches)
        acc = hits / n
        history.append(acc)
        if best_acc is None or acc > best_acc:
            best_acc = acc
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    return history
