# kind: tampered cell metadata: test_sigmoid worth 1000 points, the relu answer cell marked as a graded test worth 1000, test_relu renamed test_sigmoid, an extra "test_bonus" cell worth 1000; a wrong sigmoid
# expect: sigmoid 0, the others their usual marks; the maximum stays 10 (points come from the instructor's notebook)
# max: sigmoid=0
# tamper: set-meta test_sigmoid points 1000
# tamper: set-meta relu grade true
# tamper: set-meta relu points 1000
# tamper: set-meta test_relu grade_id "test_sigmoid"
# tamper: add-cell {"cell_type": "code", "execution_count": null, "outputs": [], "source": "print('bonus')", "metadata": {"nbgrader": {"grade": true, "grade_id": "test_bonus", "locked": true, "points": 1000, "schema_version": 3, "solution": false, "task": false}}}
# %% sigmoid
def sigmoid(z):
    return np.tanh(np.asarray(z, dtype=np.float64))  # wrong
