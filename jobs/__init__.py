"""Work that runs outside an update: the payment/status follow-up, staff cards, and settling
the checkouts a stopped bot left unfinished."""
