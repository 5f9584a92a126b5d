# task: train_with_early_stopping
# expect: less
# Planted bug 1 left in: optimizer.zero_grad() is missing, the gradients accumulate over the batches.
def train_with_early_stopping(model, train_loader, val_loader, test_loader, optimizer, loss_fn,
                              epochs, patience):
    """Train with early stopping on the validation loss, restore the best weights, then measure
    the test accuracy once. Returns (train_losses, val_losses, best_epoch, test_accuracy)."""
    train_losses, val_losses = [], []
    best_loss, best_epoch, best_state, waited = float("inf"), 0, None, 0
    for epoch in range(1, epochs + 1):
        # one pass over the training data
        model.train()
        total, count = 0.0, 0
        for x, y in train_loader:
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
            count += len(y)
        train_losses.append(total / count)

        # the validation loss, in eval mode and without gradients
        model.eval()
        total, count = 0.0, 0
        with torch.no_grad():
            for x, y in val_loader:
                total += loss_fn(model(x), y).item() * len(y)
                count += len(y)
        val_loss = total / count
        val_losses.append(val_loss)

        # early stopping: keep a copy of the best weights, stop after `patience` epochs without progress
        if val_loss < best_loss:
            best_loss, best_epoch, waited = val_loss, epoch, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            waited += 1
            if waited >= patience:
                break

    # the best weights, measured once on the test set
    model.load_state_dict(best_state)
    model.eval()
    correct, count = 0, 0
    with torch.no_grad():
        for x, y in test_loader:
            correct += (model(x).argmax(dim=1) == y).sum().item()
            count += len(y)
    return train_losses, val_losses, best_epoch, correct / count
