# kind: an empty notebook file
# expect: 0 for everything, with a message
# max: all=0
# see: not a valid notebook \(invalid JSON
# tamper: empty
