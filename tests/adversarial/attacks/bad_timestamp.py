# kind: a timestamp.txt in the submission folder that is not a date
# expect: the batch is graded (the timestamp ignored, or a message), every other student included
# batch: own
# xfail: reported: gradebook.save passes timestamp.txt to nbgrader unchecked; the ValueError stops the whole grade command (exit 2, no CSV)
# tamper: timestamp not a date
