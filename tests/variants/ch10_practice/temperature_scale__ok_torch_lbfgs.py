# task: temperature_scale
# expect: full
# Correct: torch's L-BFGS on log T in float64 (cross_entropy is stable), with a strong-Wolfe
# line search, started from T = 1 and clamped to [0.05, 20].
def temperature_scale(logits, labels):
    Z = torch.as_tensor(np.asarray(logits, dtype=np.float64))
    y = torch.as_tensor(np.asarray(labels), dtype=torch.long)
    log_T = torch.zeros((), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([log_T], lr=1.0, max_iter=200, tolerance_grad=1e-12, tolerance_change=1e-15,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(Z / log_T.exp(), y)
        loss.backward()
        return loss

    opt.step(closure)
    return float(min(max(log_T.exp().item(), 0.05), 20.0))
