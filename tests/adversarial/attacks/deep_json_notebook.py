# kind: a notebook file of valid JSON nested 200 000 deep (json.loads raises RecursionError, not ValueError)
# expect: 0 for everything; the batch goes on
# max: all=0
# tamper: deep-json
# never: grader error
