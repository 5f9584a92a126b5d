"""nncourse.training: the shared PyTorch training loop of chapters 5-9."""

import matplotlib

matplotlib.use("Agg")

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from nncourse.training import History, LivePlot, evaluate, fit, loss_and_accuracy, train_one_epoch


def _data(n=50, d=4, c=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g)
    y = torch.randint(0, c, (n,), generator=g)
    return X, y


def _model(d=4, c=3, seed=0, dropout=0.0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(d, 8), torch.nn.ReLU(), torch.nn.Dropout(dropout),
                               torch.nn.Linear(8, c))


def test_train_one_epoch_weights_batches_by_size():
    X, y = _data(n=50)
    model = _model()
    loss_fn = torch.nn.CrossEntropyLoss()
    with torch.no_grad():
        expected = loss_fn(model(X), y).item()
    # lr = 0: the weights never change, so the epoch's mean loss is the full-data loss,
    # although the last batch (50 = 3 * 16 + 2) is much smaller than the others
    opt = torch.optim.SGD(model.parameters(), lr=0.0)
    got = train_one_epoch(model, DataLoader(TensorDataset(X, y), batch_size=16), opt, loss_fn)
    assert got == pytest.approx(expected, rel=1e-6)
    assert model.training


def test_train_one_epoch_updates_and_zeroes_gradients():
    X, y = _data()
    model = _model()
    before = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = DataLoader(TensorDataset(X, y), batch_size=10)
    train_one_epoch(model, loader, opt, torch.nn.CrossEntropyLoss())
    assert any(not torch.equal(a, p) for a, p in zip(before, model.parameters()))
    # one batch's gradient only: zero_grad ran before every backward
    model.zero_grad()
    x0, y0 = next(iter(loader))
    torch.nn.CrossEntropyLoss()(model(x0), y0).backward()
    g_single = [p.grad.clone() for p in model.parameters()]
    opt = torch.optim.SGD(model.parameters(), lr=0.0)
    train_one_epoch(model, DataLoader(TensorDataset(x0, y0), batch_size=10), opt,
                    torch.nn.CrossEntropyLoss())
    for a, p in zip(g_single, model.parameters()):
        torch.testing.assert_close(p.grad, a)


def test_evaluate_is_accuracy_in_eval_mode_without_grad():
    X, y = _data(n=40)
    model = _model(dropout=0.5)
    model.train()
    loader = DataLoader(TensorDataset(X, y), batch_size=7)
    acc = evaluate(model, loader)
    assert not model.training
    with torch.no_grad():
        expected = (model(X).argmax(1) == y).float().mean().item()
    assert acc == pytest.approx(expected)
    assert evaluate(model, loader) == acc            # dropout is off: deterministic
    assert all(p.grad is None for p in model.parameters())
    loss, acc2 = loss_and_accuracy(model, loader, torch.nn.CrossEntropyLoss())
    assert acc2 == pytest.approx(acc)
    with torch.no_grad():
        assert loss == pytest.approx(torch.nn.CrossEntropyLoss()(model(X), y).item(), rel=1e-6)


def test_fit_learns_and_records_history():
    X, _ = _data(n=64)
    y = X[:, :3].argmax(dim=1)                   # a learnable rule
    model = _model()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    hist = fit(model, loader, opt, torch.nn.CrossEntropyLoss(), epochs=30,
               val_loader=DataLoader(TensorDataset(X, y), batch_size=64), progress=False)
    assert len(hist.train_loss) == len(hist.val_loss) == len(hist.val_acc) == 30
    assert hist.train_loss[-1] < 0.5 * hist.train_loss[0]
    assert hist.val_acc[-1] > 0.7
    assert hist.best_epoch == 1 + min(range(30), key=hist.val_loss.__getitem__)


def test_fit_early_stopping_restores_the_best_weights():
    X, y = _data(n=30)
    Xv, yv = _data(n=30, seed=1)           # unrelated labels: validation loss soon rises
    model = _model()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    val = DataLoader(TensorDataset(Xv, yv), batch_size=30)
    hist = fit(model, DataLoader(TensorDataset(X, y), batch_size=10), opt,
               torch.nn.CrossEntropyLoss(), epochs=200, val_loader=val, patience=3,
               restore_best=True, progress=False)
    assert hist.stopped_early
    assert len(hist.train_loss) == hist.best_epoch + 3
    loss, _ = loss_and_accuracy(model, val, torch.nn.CrossEntropyLoss())
    assert loss == pytest.approx(min(hist.val_loss), rel=1e-6)


def test_fit_rejects_early_stopping_without_validation():
    X, y = _data()
    model = _model()
    with pytest.raises(ValueError):
        fit(model, DataLoader(TensorDataset(X, y)), torch.optim.SGD(model.parameters(), lr=0.1),
            torch.nn.CrossEntropyLoss(), epochs=2, patience=1, progress=False)


def test_live_plot_draws_the_history():
    hist = History(train_loss=[1.0, 0.5, 0.3], val_loss=[1.1, 0.7, 0.6], val_acc=[0.5, 0.7, 0.8])
    plot = LivePlot(title="t", max_epochs=5)
    plot.update(hist)                                 # no IPython: draws, displays nothing
    plot.update(hist)                                 # redraws instead of adding lines
    assert len(plot.ax_loss.lines) == 2 and len(plot.ax_acc.lines) == 1
    assert list(plot.ax_acc.lines[0].get_ydata()) == [0.5, 0.7, 0.8]
    assert plot.ax_loss.get_xlim() == (0.5, 5.5)


def test_fit_stops_within_the_time_budget(monkeypatch):
    import nncourse.training as training
    clock = iter(range(0, 1000, 10))                 # every clock reading: 10 s later
    monkeypatch.setattr(training, "_clock", lambda: float(next(clock)))
    X, y = _data()
    model = _model()
    hist = fit(model, DataLoader(TensorDataset(X, y), batch_size=25),
               torch.optim.SGD(model.parameters(), lr=0.1), torch.nn.CrossEntropyLoss(),
               epochs=50, progress=False, max_seconds=45)
    # start 0; epoch 1 ends at 10; check at 20 (2 epochs at that pace: 40 <= 45), epoch 2
    # ends at 30; check at 40 (3 epochs at that pace: 60 > 45): stop after 2 epochs
    assert hist.stopped_by_time and not hist.stopped_early
    assert len(hist.train_loss) == 2
    assert hist.seconds == 30


def test_fit_time_budget_and_scheduler():
    X, y = _data()
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    hist = fit(model, DataLoader(TensorDataset(X, y), batch_size=25), opt,
               torch.nn.CrossEntropyLoss(), epochs=3, progress=False, max_seconds=1e6,
               scheduler=sched)
    assert len(hist.train_loss) == 3 and not hist.stopped_by_time
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1 * 0.5 ** 3)
    assert hist.seconds > 0
    with pytest.raises(ValueError):
        fit(model, DataLoader(TensorDataset(X, y)), opt, torch.nn.CrossEntropyLoss(),
            epochs=1, progress=False, max_seconds=0)


def _scripted_validation(monkeypatch, values):
    """Make fit's validation return the scripted (loss, accuracy) pairs in turn,
    and let each epoch stamp its number into the model's bias."""
    import nncourse.training as training
    it = iter(values)
    monkeypatch.setattr(training, "loss_and_accuracy", lambda *a, **k: next(it))
    epoch = iter(range(1, 100))

    def one_epoch(model, *a, **k):
        with torch.no_grad():
            model[-1].bias.fill_(next(epoch))
        return 1.0
    monkeypatch.setattr(training, "train_one_epoch", one_epoch)


def test_fit_monitors_the_validation_accuracy(monkeypatch):
    # the loss keeps falling while the accuracy plateaus after epoch 3:
    # on val_acc the plateau stops training, on val_loss it would not
    scripted = [(1.0, 0.50), (0.9, 0.70), (0.8, 0.80), (0.7, 0.80), (0.6, 0.79), (0.5, 0.80),
                (0.4, 0.80), (0.3, 0.80)]
    _scripted_validation(monkeypatch, scripted)
    X, y = _data()
    model = _model()
    loader = DataLoader(TensorDataset(X, y), batch_size=25)
    hist = fit(model, loader, torch.optim.SGD(model.parameters(), lr=0.1),
               torch.nn.CrossEntropyLoss(), epochs=8, val_loader=loader, patience=3,
               restore_best=True, progress=False, monitor="val_acc")
    assert hist.best_epoch == 3            # ties do not count as improvement
    assert hist.stopped_early and len(hist.val_acc) == 6
    assert float(model[-1].bias[0]) == 3   # epoch 3's weights are back

    _scripted_validation(monkeypatch, scripted)
    hist = fit(_model(), loader, torch.optim.SGD(model.parameters(), lr=0.1),
               torch.nn.CrossEntropyLoss(), epochs=8, val_loader=loader, patience=3,
               progress=False)
    assert hist.best_epoch == 8 and not hist.stopped_early


def test_fit_rejects_an_unknown_monitor_and_zero_patience():
    X, y = _data()
    model = _model()
    loader = DataLoader(TensorDataset(X, y))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="monitor"):
        fit(model, loader, opt, torch.nn.CrossEntropyLoss(), epochs=1, val_loader=loader,
            progress=False, monitor="accuracy")
    with pytest.raises(ValueError, match="patience"):
        fit(model, loader, opt, torch.nn.CrossEntropyLoss(), epochs=1, val_loader=loader,
            patience=0, progress=False)
