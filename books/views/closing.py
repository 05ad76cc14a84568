# STUB
from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


close = lpj = lpj_pdf = _todo
