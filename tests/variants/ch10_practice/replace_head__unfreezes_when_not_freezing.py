# task: replace_head
# expect: less
# requires_grad = not freeze for every parameter: with freeze=False, parameters that were
# frozen before become trainable (the syllabus: without freeze nothing else changes).
def replace_head(model, num_classes, freeze=True):
    for p in model.parameters():
        p.requires_grad = not freeze
    model.head = nn.Linear(model.head.in_features, num_classes)
    return [p for p in model.parameters() if p.requires_grad]
