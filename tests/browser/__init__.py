"""End-to-end tests of the built site in headless Chromium, and whole-site checks with real tools."""
