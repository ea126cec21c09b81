"""Pure rendering, one module per area: (texts, plain values) -> Screen. No update, no
context, no I/O, no telegram.ext."""
