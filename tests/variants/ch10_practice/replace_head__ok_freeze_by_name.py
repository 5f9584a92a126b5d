# task: replace_head
# expect: full
# Correct: the head replaced first, then every parameter whose name is not the head's
# frozen; the trainable ones filtered out of named_parameters.
def replace_head(model, num_classes, freeze=True):
    in_features = model.head.in_features
    model.head = nn.Linear(in_features, num_classes)
    if freeze:
        for name, p in model.named_parameters():
            if not name.startswith("head."):
                p.requires_grad_(False)
    return [p for _, p in model.named_parameters() if p.requires_grad]
