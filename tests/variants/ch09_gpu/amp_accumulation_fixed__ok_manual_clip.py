# task: amp_accumulation_fixed
# expect: full
# Another correct fix: the device from the data, losses summed then divided, the norm clipped by hand
# (without torch's 1e-6), the loss returned as a NumPy float32.
def amp_accumulation_fixed(model, micro_batches, optimizer, loss_fn, scaler, max_norm=1.0,
                           dtype=torch.float16):
    for p in model.parameters():
        p.grad = None
    losses = []
    for x, y in micro_batches:
        with torch.autocast(x.device.type, dtype=dtype):
            loss = loss_fn(model(x), y)
        scaler.scale(loss * (1.0 / len(micro_batches))).backward()
        losses.append(loss.detach())
    scaler.unscale_(optimizer)
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    norm = torch.sqrt(sum((g.float() ** 2).sum() for g in grads))
    if norm > max_norm:
        for g in grads:
            g.mul_(max_norm / norm)
    scaler.step(optimizer)
    scaler.update()
    return torch.stack(losses).mean().numpy()
