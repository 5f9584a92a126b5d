# kind: a notebook whose "cells" is a dict, not a list
# expect: 0 for everything, with a message
# max: all=0
# see: not a valid notebook \(no list of cells\)
# tamper: cells-not-list
