# task: amp_accumulation_fixed
# expect: less
# Unscales, but after clipping: the clipping threshold was applied to the scaled gradients.
def amp_accumulation_fixed(model, micro_batches, optimizer, loss_fn, scaler, max_norm=1.0,
                           dtype=torch.float16):
    k = len(micro_batches)
    device_type = next(model.parameters()).device.type
    optimizer.zero_grad(set_to_none=True)
    total = 0.0
    for x, y in micro_batches:
        with torch.autocast(device_type=device_type, dtype=dtype):
            loss = loss_fn(model(x), y) / k
        scaler.scale(loss).backward()
        total += loss.item()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scaler.unscale_(optimizer)
    scaler.step(optimizer)
    scaler.update()
    return total
