# kind: control: the reference solution, unchanged
# expect: full marks; graded in every batch, so a batch stopped by another submission shows
# replay: yes
