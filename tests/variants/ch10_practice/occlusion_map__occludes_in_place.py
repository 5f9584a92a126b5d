# task: occlusion_map
# expect: less
# The patches are written into the image itself: they pile up from one position to the
# next, and the caller's image is changed.
def occlusion_map(predict_proba, image, label, patch=4, stride=4, fill=0.0):
    C, H, W = image.shape
    OH, OW = (H - patch) // stride + 1, (W - patch) // stride + 1
    base = predict_proba(image[None])[0, label]
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            image[:, i * stride:i * stride + patch, j * stride:j * stride + patch] = fill
            out[i, j] = base - predict_proba(image[None])[0, label]
    return out
