# task: checkpoint
# expect: full
# A list instead of a dict, torch.random's functions, the step kept as a 0-d int64 tensor and returned
# as such (an int-like value: the checks read it with operator.index).
import os


def save_checkpoint(path, model, optimizer, step):
    items = [torch.tensor(step), model.state_dict(), optimizer.state_dict(), torch.random.get_rng_state()]
    tmp = str(path) + ".part"
    torch.save(items, tmp)
    os.replace(tmp, path)


def load_checkpoint(path, model, optimizer):
    step, model_state, optimizer_state, rng = torch.load(path, map_location="cpu")
    torch.random.set_rng_state(rng)
    optimizer.load_state_dict(optimizer_state)
    model.load_state_dict(model_state)
    return step
