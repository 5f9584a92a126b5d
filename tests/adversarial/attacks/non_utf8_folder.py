# kind: a student folder whose name is not valid UTF-8 (b"adv-\xff")
# expect: that folder is refused with a message, every other student graded
# batch: own
# tamper: folder b"adv5-\xff"
