"""Static files that every briefing site needs."""
