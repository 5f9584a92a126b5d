# task: replace_head
# expect: full
# Correct: frozen with requires_grad_ on everything but the new head (compared by identity);
# returns a tuple (the syllabus asks for the parameters, any order).
def replace_head(model, num_classes, freeze=True):
    old = model.head
    new = nn.Linear(old.in_features, num_classes, bias=True)
    model.head = new
    mine = {id(p) for p in new.parameters()}
    if freeze:
        for p in model.parameters():
            if id(p) not in mine:
                p.requires_grad_(False)
    return tuple(p for p in model.parameters() if p.requires_grad)
