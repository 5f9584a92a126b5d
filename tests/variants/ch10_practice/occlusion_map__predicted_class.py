# task: occlusion_map
# expect: less
# It follows the predicted class instead of label.
def occlusion_map(predict_proba, image, label, patch=4, stride=4, fill=0.0):
    C, H, W = image.shape
    OH, OW = (H - patch) // stride + 1, (W - patch) // stride + 1
    p0 = predict_proba(image[None])[0]
    k = int(np.argmax(p0))
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            x = image.copy()
            x[:, i * stride:i * stride + patch, j * stride:j * stride + patch] = fill
            out[i, j] = p0[k] - predict_proba(x[None])[0, k]
    return out
