"""The curator's tools: the command line, coverage, export and scaffolding."""
