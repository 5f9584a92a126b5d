# task: amp_train_step
# expect: less
# Returns the loss tensor (with its graph) instead of a float.
def amp_train_step(model, x, y, optimizer, loss_fn, dtype=torch.bfloat16, scaler=None):
    optimizer.zero_grad()
    with torch.autocast(device_type=next(model.parameters()).device.type, dtype=dtype):
        loss = loss_fn(model(x), y)
    if scaler is None:
        loss.backward()
        optimizer.step()
    else:
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    return loss
