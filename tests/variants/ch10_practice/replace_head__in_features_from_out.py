# task: replace_head
# expect: less
# The new head reads out_features of the old one as its input size: wrong unless the two
# happen to be equal (the forward pass then fails on the shape).
def replace_head(model, num_classes, freeze=True):
    if freeze:
        for p in model.parameters():
            p.requires_grad = False
    model.head = nn.Linear(model.head.out_features, num_classes)
    return [p for p in model.parameters() if p.requires_grad]
