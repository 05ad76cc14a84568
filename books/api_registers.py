# STUB — the registers' endpoints (inventory, guests, agenda, work plan, rules) go here.
from ninja import Router

router = Router(tags=["buku: register"])
