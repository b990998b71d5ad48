print("check-bench: not yet written")
