# task: occlusion_map
# expect: less
# The patches are placed every patch pixels (i * patch), not every stride pixels.
def occlusion_map(predict_proba, image, label, patch=4, stride=4, fill=0.0):
    C, H, W = image.shape
    OH, OW = (H - patch) // stride + 1, (W - patch) // stride + 1
    base = predict_proba(image[None])[0, label]
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            x = image.copy()
            x[:, i * patch:i * patch + patch, j * patch:j * patch + patch] = fill
            out[i, j] = base - predict_proba(x[None])[0, label]
    return out
