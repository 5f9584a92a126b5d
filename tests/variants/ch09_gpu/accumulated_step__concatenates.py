# task: accumulated_step
# expect: less
# The same numbers, but it concatenates the micro-batches: the memory of the full batch.
def accumulated_step(model, micro_batches, optimizer, loss_fn):
    x = torch.cat([xb for xb, _ in micro_batches])
    y = torch.cat([yb for _, yb in micro_batches])
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()
    optimizer.step()
