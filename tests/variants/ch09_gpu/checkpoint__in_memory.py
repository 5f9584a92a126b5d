# task: checkpoint
# expect: less
# Keeps the state in a module-level dict keyed by path and writes no file: nothing survives the process.
_SAVED = {}


def save_checkpoint(path, model, optimizer, step):
    import copy
    _SAVED[str(path)] = (step, copy.deepcopy(model.state_dict()), copy.deepcopy(optimizer.state_dict()),
                         torch.get_rng_state())


def load_checkpoint(path, model, optimizer):
    step, m, o, rng = _SAVED[str(path)]
    model.load_state_dict(m)
    optimizer.load_state_dict(o)
    torch.set_rng_state(rng)
    return step
