# task: train_one_epoch
# expect: full
# A different correct loop: model.zero_grad(), the loss summed as a tensor (reduction by the
# batch size undone), converted to a float once at the end.
def train_one_epoch(model, loader, optimizer, loss_fn):
    model.train(True)
    total = torch.zeros(())
    n = 0
    for batch_x, batch_y in loader:
        model.zero_grad()
        batch_loss = loss_fn(model(batch_x), batch_y)
        batch_loss.backward()
        optimizer.step()
        total += batch_loss.detach() * batch_x.shape[0]
        n += batch_x.shape[0]
    return float(total) / n
