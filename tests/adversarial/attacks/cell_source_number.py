# kind: an answer cell whose source is a number (42), not text
# expect: sigmoid 0 with a message; the other functions full marks
# max: sigmoid=0
# see: the answer cell 'sigmoid' is malformed
# tamper: set-source sigmoid 42
