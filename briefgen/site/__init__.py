"""The site: Briefing -> {path: Markdown}. ``pages`` lists the kinds of page, ``render`` renders
them all or only those an edit touched."""
