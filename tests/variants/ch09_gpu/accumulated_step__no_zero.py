# task: accumulated_step
# expect: less
# Never zeroes the gradients: whatever was in .grad before is added in.
def accumulated_step(model, micro_batches, optimizer, loss_fn):
    for x, y in micro_batches:
        (loss_fn(model(x), y) / len(micro_batches)).backward()
    optimizer.step()
