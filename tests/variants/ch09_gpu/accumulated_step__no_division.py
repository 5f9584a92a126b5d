# task: accumulated_step
# expect: less
# Sums the micro-batch gradients instead of averaging them: k times the full-batch gradient.
def accumulated_step(model, micro_batches, optimizer, loss_fn):
    optimizer.zero_grad()
    for x, y in micro_batches:
        loss_fn(model(x), y).backward()
    optimizer.step()
