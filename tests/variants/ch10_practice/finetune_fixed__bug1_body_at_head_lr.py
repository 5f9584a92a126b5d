# task: finetune_fixed
# expect: less
# Three bugs fixed; planted bug 1 left: the body's group has no lr, so it trains at the head's lr.
def finetune_fixed(model, train_batches, val_batches, epochs, lr, body_lr,
                   optimizer_class=torch.optim.SGD):
    import copy

    head = list(model.head.parameters())
    head_ids = {id(p) for p in head}
    body = [p for p in model.parameters() if id(p) not in head_ids]
    optimizer = optimizer_class([{"params": head, "lr": lr}, {"params": body}], lr=lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    accuracies, best, best_state = [], -1.0, None
    for epoch in range(epochs):
        model.train()
        for x, y in train_batches:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
        model.eval()
        correct = total = 0
        with torch.no_grad():
            for x, y in val_batches:
                correct += (model(x).argmax(dim=1) == y).sum().item()
                total += len(y)
        accuracies.append(correct / total)
        if accuracies[-1] > best:
            best = accuracies[-1]
            best_state = copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    return accuracies
