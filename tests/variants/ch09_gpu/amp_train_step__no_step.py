# task: amp_train_step
# expect: less
# Computes the gradients but never updates the parameters.
def amp_train_step(model, x, y, optimizer, loss_fn, dtype=torch.bfloat16, scaler=None):
    optimizer.zero_grad()
    with torch.autocast(device_type=next(model.parameters()).device.type, dtype=dtype):
        loss = loss_fn(model(x), y)
    if scaler is None:
        loss.backward()
    else:
        scaler.scale(loss).backward()
        scaler.update()
    return loss.item()
