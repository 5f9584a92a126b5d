# task: train_one_epoch
# expect: less
# Never calls model.train(): a model left in eval mode trains without dropout or batch statistics.
def train_one_epoch(model, loader, optimizer, loss_fn):
    total, count = 0.0, 0
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count
