"""What makes the build faster and nothing else: runners that share work out to forked
processes, the memo of rendered parts, the read cache, the garbage collector's pause, fast
pickling, and on MkDocs's side the pages converted, rendered, built and written ahead, what
search reads of them, serve's partial rebuilds and watching, and the last site deleted alongside
a clean build. The build gives the same bytes with the serial runner and an empty memo."""
