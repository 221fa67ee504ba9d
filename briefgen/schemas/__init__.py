"""JSON Schemas of the corpus files, generated from briefgen.schema (`briefgen schema --out`)."""
