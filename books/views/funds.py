# STUB
from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


iks = iks_policy = iks_allocate_view = iks_use_view = iks_xlsx = _todo
savings_view = savings_xlsx = loans = loan_new = loan_detail = loans_xlsx = my_account = _todo
