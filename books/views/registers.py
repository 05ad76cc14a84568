# STUB — being replaced by the registers implementation (inventory, guests, agenda, work plan, rules).
from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


inventory = inventory_new = inventory_item = inventory_xlsx = _todo
guests = guests_xlsx = agenda = activity_new = activity = agenda_xlsx = _todo
workplan = workplan_edit = workplan_xlsx = rules = _todo
