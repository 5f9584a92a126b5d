# task: amp_train_step
# expect: less
# Never uses the GradScaler it is given.
def amp_train_step(model, x, y, optimizer, loss_fn, dtype=torch.bfloat16, scaler=None):
    optimizer.zero_grad()
    with torch.autocast(device_type=next(model.parameters()).device.type, dtype=dtype):
        loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
