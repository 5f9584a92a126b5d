# task: amp_accumulation_fixed
# expect: less
# Three bugs fixed; planted bug 3 left: the micro-batch losses are not divided by k (k times the gradient).
def amp_accumulation_fixed(model, micro_batches, optimizer, loss_fn, scaler, max_norm=1.0,
                           dtype=torch.float16):
    device_type = next(model.parameters()).device.type
    optimizer.zero_grad(set_to_none=True)
    total = 0.0
    for x, y in micro_batches:
        with torch.autocast(device_type=device_type, dtype=dtype):
            loss = loss_fn(model(x), y)
        scaler.scale(loss).backward()
        total += loss.item()
    scaler.unscale_(optimizer)
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scaler.step(optimizer)
    scaler.update()
    return total / len(micro_batches)
