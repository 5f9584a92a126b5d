# task: accumulated_step
# expect: full
# Correct, by hand: torch.autograd.grad per micro-batch, summed, written into .grad.
def accumulated_step(model, micro_batches, optimizer, loss_fn):
    params = [p for p in model.parameters() if p.requires_grad]
    total = [torch.zeros_like(p) for p in params]
    for x, y in micro_batches:
        grads = torch.autograd.grad(loss_fn(model(x), y), params)
        for t, g in zip(total, grads):
            t += g
    for p, t in zip(params, total):
        p.grad = t / len(micro_batches)
    optimizer.step()
    return None
