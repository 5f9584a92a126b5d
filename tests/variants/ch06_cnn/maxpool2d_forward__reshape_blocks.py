# task: maxpool2d_forward
# expect: less
# The reshape trick: cuts the maps into k x k blocks that neither overlap nor
# leave gaps, so it ignores the stride (and fails when the stride is not k).
def maxpool2d_forward(X, k=2, stride=2):
    N, C, H, W = X.shape
    OH, OW = H // k, W // k
    blocks = X[:, :, :OH * k, :OW * k].reshape(N, C, OH, k, OW, k)
    return blocks.max(axis=(3, 5))
