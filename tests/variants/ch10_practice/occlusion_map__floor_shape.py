# task: occlusion_map
# expect: less
# The map has H // stride rows and W // stride columns: patches that stick out of the image
# are counted too.
def occlusion_map(predict_proba, image, label, patch=4, stride=4, fill=0.0):
    C, H, W = image.shape
    OH, OW = H // stride, W // stride
    base = predict_proba(image[None])[0, label]
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            x = image.copy()
            x[:, i * stride:i * stride + patch, j * stride:j * stride + patch] = fill
            out[i, j] = base - predict_proba(x[None])[0, label]
    return out
