# task: train_one_epoch
# expect: less
# Steps before backpropagating: each step uses no gradient at all (they were just cleared).
def train_one_epoch(model, loader, optimizer, loss_fn):
    model.train()
    total, count = 0.0, 0
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        optimizer.step()
        loss.backward()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
