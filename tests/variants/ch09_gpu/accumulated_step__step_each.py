# task: accumulated_step
# expect: less
# Steps after every micro-batch: k small-batch steps, not one large-batch step.
def accumulated_step(model, micro_batches, optimizer, loss_fn):
    optimizer.zero_grad()
    for x, y in micro_batches:
        (loss_fn(model(x), y) / len(micro_batches)).backward()
        optimizer.step()
