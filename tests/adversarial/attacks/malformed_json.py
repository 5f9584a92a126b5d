# kind: malformed JSON: the notebook file cut off after 5000 bytes
# expect: 0 for everything, with a message; the batch goes on
# max: all=0
# see: not a valid notebook \(invalid JSON
# tamper: truncate 5000
