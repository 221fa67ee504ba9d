"""What makes the build faster and nothing else: runners that share work out to forked
processes, the memo of rendered parts, the read cache, the garbage collector's pause, and
fast pickling. The build gives the same bytes with the serial runner and an empty memo."""
