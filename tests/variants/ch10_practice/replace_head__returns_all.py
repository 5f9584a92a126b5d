# task: replace_head
# expect: less
# It returns every parameter of the model, frozen or not.
def replace_head(model, num_classes, freeze=True):
    if freeze:
        for p in model.parameters():
            p.requires_grad = False
    model.head = nn.Linear(model.head.in_features, num_classes)
    return list(model.parameters())
