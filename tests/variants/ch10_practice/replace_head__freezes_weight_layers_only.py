# task: replace_head
# expect: less
# Only convolutions and linear layers are frozen: batch norm's scale and shift still train.
def replace_head(model, num_classes, freeze=True):
    if freeze:
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                for p in m.parameters():
                    p.requires_grad = False
    model.head = nn.Linear(model.head.in_features, num_classes)
    return [p for p in model.parameters() if p.requires_grad]
