# kind: a timestamp.txt in the submission folder that is not a date
# expect: the batch is graded (the timestamp ignored, or a message), every other student included
# batch: own
# tamper: timestamp not a date
