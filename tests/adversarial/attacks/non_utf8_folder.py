# kind: a student folder whose name is not valid UTF-8 (b"adv-\xff")
# expect: that folder is refused with a message, every other student graded
# batch: own
# xfail: reported: an invalid folder name is still saved to the gradebook and printed; its surrogate escape makes the grade command stop (exit 2, no CSV)
# tamper: folder b"adv5-\xff"
