# task: occlusion_map
# expect: less
# The occluded probability minus the original one: the map's sign is flipped.
def occlusion_map(predict_proba, image, label, patch=4, stride=4, fill=0.0):
    C, H, W = image.shape
    OH, OW = (H - patch) // stride + 1, (W - patch) // stride + 1
    base = predict_proba(image[None])[0, label]
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            x = image.copy()
            x[:, i * stride:i * stride + patch, j * stride:j * stride + patch] = fill
            out[i, j] = predict_proba(x[None])[0, label] - base
    return out
