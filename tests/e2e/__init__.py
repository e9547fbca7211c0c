"""Browser tests in headless Chromium (a package: its conftest must not shadow the main one)."""
