"""The shop's domain, free of Telegram: cart, pricing, order placement, the order ledger, the
payment/status watcher, the catalog cache."""
