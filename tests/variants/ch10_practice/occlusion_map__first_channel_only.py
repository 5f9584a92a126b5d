# task: occlusion_map
# expect: less
# Only the first channel is set to fill: a colour image keeps its other channels.
def occlusion_map(predict_proba, image, label, patch=4, stride=4, fill=0.0):
    C, H, W = image.shape
    OH, OW = (H - patch) // stride + 1, (W - patch) // stride + 1
    base = predict_proba(image[None])[0, label]
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            x = image.copy()
            x[0, i * stride:i * stride + patch, j * stride:j * stride + patch] = fill
            out[i, j] = base - predict_proba(x[None])[0, label]
    return out
