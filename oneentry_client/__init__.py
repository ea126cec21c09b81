"""Async client for the OneEntry Content API: one object per project, resource groups that
mirror the official SDK's modules. Knows nothing about Telegram or the shop's rules."""
