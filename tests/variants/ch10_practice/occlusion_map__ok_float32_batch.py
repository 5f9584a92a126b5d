# task: occlusion_map
# expect: full
# Correct: every copy built at once with a boolean mask per position, in float32 (the map
# differs from a float64 one by rounding only).
def occlusion_map(predict_proba, image, label, patch=4, stride=4, fill=0.0):
    img = np.asarray(image, dtype=np.float32)
    C, H, W = img.shape
    OH, OW = (H - patch) // stride + 1, (W - patch) // stride + 1
    mask = np.zeros((OH, OW, H, W), dtype=bool)
    for i in range(OH):
        for j in range(OW):
            mask[i, j, i * stride:i * stride + patch, j * stride:j * stride + patch] = True
    mask = mask.reshape(OH * OW, 1, H, W)
    copies = np.where(mask, np.float32(fill), img[None])            # (OH*OW, C, H, W)
    p = predict_proba(np.concatenate([img[None], copies]))[:, label]
    return (p[0] - p[1:]).reshape(OH, OW)
