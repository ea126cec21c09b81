"""ConversationHandler state machines (the checkout)."""
