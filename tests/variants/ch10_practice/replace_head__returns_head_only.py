# task: replace_head
# expect: less
# It returns the head's parameters only: right for a linear probe, but with freeze=False the
# body trains too and an optimizer built from this list would never update it.
def replace_head(model, num_classes, freeze=True):
    if freeze:
        for p in model.parameters():
            p.requires_grad = False
    model.head = nn.Linear(model.head.in_features, num_classes)
    return list(model.head.parameters())
