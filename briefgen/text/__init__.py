"""Text values: quote normalization with offsets, inert escaping, and names."""
