"""`{% submission_key %}`: the one-time key of a page form that writes (api/idempotency.py).

A new key on every rendering, so a form refused and shown again is a new submission. It is a text
input kept out of sight and out of the accessibility tree rather than type=hidden: browsers
restore a text input's value when the user goes back to the page, so "back and resubmit" sends
the key already used and gets the first result, without any script.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from api.idempotency import PAGE_FIELD, new_submission_key

register = template.Library()


@register.simple_tag
def submission_key() -> SafeString:
    """The key's field; its data-submission is what the pressed button says while the form is sent
    (static/js/sikube.js)."""
    return format_html('<input type="text" name="{}" value="{}" hidden aria-hidden="true" tabindex="-1" '
                       'data-submission="{}">', PAGE_FIELD, new_submission_key(), _("Menyimpan…"))
