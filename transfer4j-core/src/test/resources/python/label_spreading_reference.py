"""scikit-learn's LabelSpreading(kernel='knn') on given rows, for LabelSpreadingTest.

Usage: label_spreading_reference.py IN_DIR K ALPHA
Reads IN_DIR/features.txt (one row per line; already L2-normalised, so Euclidean neighbours are cosine
neighbours) and IN_DIR/labels.txt (-1 unlabeled), fits
LabelSpreading(kernel='knn', n_neighbors=K, alpha=ALPHA) (max_iter 30, tol 1e-3, the defaults) and
writes label_distributions_ to IN_DIR/distributions.txt. Exit code 3 when numpy or scikit-learn is missing.
"""
import sys
import warnings

try:
    import numpy as np
    from sklearn.semi_supervised import LabelSpreading
except ImportError as e:
    print("missing package:", e)
    sys.exit(3)

d, k, alpha = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
X = np.loadtxt(d + "/features.txt", ndmin=2)
y = np.loadtxt(d + "/labels.txt", dtype=int, ndmin=1)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # ConvergenceWarning when 30 iterations do not reach the tolerance
    model = LabelSpreading(kernel="knn", n_neighbors=k, alpha=alpha).fit(X, y)
np.savetxt(d + "/distributions.txt", model.label_distributions_, fmt="%.17g")
