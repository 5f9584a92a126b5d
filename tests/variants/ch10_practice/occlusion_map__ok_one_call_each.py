# task: occlusion_map
# expect: full
# Correct: one predict_proba call per occluded copy, positions as a list of corners.
def occlusion_map(predict_proba, image, label, patch=4, stride=4, fill=0.0):
    C, H, W = image.shape
    rows = range(0, H - patch + 1, stride)
    cols = range(0, W - patch + 1, stride)
    base = float(predict_proba(np.asarray(image)[None])[0][label])
    out = []
    for r in rows:
        line = []
        for c in cols:
            x = np.array(image, dtype=float)
            x[:, r:r + patch, c:c + patch] = fill
            line.append(base - float(predict_proba(x[None])[0][label]))
        out.append(line)
    return np.array(out)
