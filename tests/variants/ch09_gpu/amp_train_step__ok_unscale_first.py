# task: amp_train_step
# expect: full
# Correct, written differently: device from the input, model.zero_grad(), an explicit unscale_
# before the step (where gradient clipping would go), float() of the loss.
def amp_train_step(model, x, y, optimizer, loss_fn, dtype=torch.bfloat16, scaler=None):
    model.zero_grad(set_to_none=False)
    with torch.autocast(x.device.type, dtype=dtype, enabled=True):
        out = model(x)
        loss = loss_fn(out, y)
    if scaler is not None:
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        scaler.step(optimizer)
        scaler.update()
    else:
        loss.backward()
        optimizer.step()
    return float(loss.detach())
