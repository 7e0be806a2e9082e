"""Passwords, login sessions, CSRF, rate limits and security headers."""
