# task: replace_head
# expect: less
# The whole model is frozen after the new head is in place: the head cannot train either,
# and nothing is returned.
def replace_head(model, num_classes, freeze=True):
    model.head = nn.Linear(model.head.in_features, num_classes)
    if freeze:
        model.requires_grad_(False)
    return [p for p in model.parameters() if p.requires_grad]
