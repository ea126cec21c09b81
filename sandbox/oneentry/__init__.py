"""A local emulator of the OneEntry Content API with a seeded demo shop."""
