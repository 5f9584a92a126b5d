# task: amp_train_step
# expect: less
# Forgets autocast: a plain float32 step.
def amp_train_step(model, x, y, optimizer, loss_fn, dtype=torch.bfloat16, scaler=None):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    if scaler is None:
        loss.backward()
        optimizer.step()
    else:
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    return loss.item()
