# task: accumulated_step
# expect: less
# Zeroes the gradients inside the loop: only the last micro-batch counts.
def accumulated_step(model, micro_batches, optimizer, loss_fn):
    for x, y in micro_batches:
        optimizer.zero_grad()
        (loss_fn(model(x), y) / len(micro_batches)).backward()
    optimizer.step()
