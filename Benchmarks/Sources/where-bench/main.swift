print("where-bench: not yet written")
