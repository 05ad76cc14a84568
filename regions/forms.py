"""Picking a region in a form: cascading selects plus search by name (htmx, no inline script).

The field's value is one hidden input holding the dotted code. The widget renders
one <select> per level; choosing in one re-renders the widget from the server
(regions:picker) with the next level filled in. Typing three letters of a name
lists matches; choosing one fills all levels at once.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.regioncode import ancestors_of, normalize
from regions.models import Level, Region

LEVEL_LABELS = {
    1: _("Provinsi"),
    2: _("Kabupaten/Kota"),
    3: _("Kecamatan"),
    4: _("Desa/Kelurahan"),
}


def picker_context(name: str, code: str, *, max_level: int, min_level: int, root: str = "",
                   required: bool = True) -> dict[str, Any]:
    """What the picker template needs to draw the selects for `code` (may be empty)."""
    region = Region.objects.filter(pk=code, is_active=True).first() if code else None
    chosen = ancestors_of(region.code) if region else []
    # Levels above the user's root are fixed (an office in Kabupaten Bandung cannot pick Aceh):
    # each offers only the root's own region there, read together in one query.
    root_chain = ancestors_of(root) if root else []
    fixed = Region.objects.in_bulk(root_chain) if root_chain else {}
    levels = []
    parent: str | None = None
    for level in range(1, max_level + 1):
        selected = chosen[level - 1] if len(chosen) >= level else ""
        locked = level <= len(root_chain)
        if locked:
            selected = root_chain[level - 1]
            fixed_region = fixed.get(selected)
            options = [(selected, fixed_region.name)] if fixed_region is not None and fixed_region.is_active else []
        elif level == 1:
            options = list(Region.objects.filter(level=1, is_active=True).order_by("code").values_list("code", "name"))
        elif parent:
            options = list(Region.objects.filter(parent_id=parent, is_active=True).order_by("code")
                           .values_list("code", "name"))
        else:
            options = []
        levels.append({
            "level": level,
            "label": LEVEL_LABELS[level],
            "options": options,
            "selected": selected,
            "parent": parent or "",
            "locked": locked,
        })
        if not selected:
            break
        parent = selected
    value = region.code if region and (not root or region.code.startswith(root)) else root
    if not value:
        shown = None
    elif region is not None and value == region.code:
        shown = region
    else:
        shown = fixed.get(value) or Region.objects.filter(pk=value).first()
    return {
        "name": name,
        "value": value,
        "levels": levels,
        "max_level": max_level,
        "min_level": min_level,
        "root": root,
        "required": required,
        "chosen": shown,
    }


class RegionPickerWidget(forms.Widget):
    template_name = "regions/picker.html"

    def __init__(self, *, max_level: int = 4, min_level: int = 4, root: str = "",
                 attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.max_level = max_level
        self.min_level = min_level
        self.root = root

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["picker"] = picker_context(
            name, normalize(value) if value else "", max_level=self.max_level,
            min_level=self.min_level, root=self.root, required=self.is_required,
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class RegionField(forms.Field):
    """A region code chosen in the picker; cleans to the Region row."""

    default_error_messages = {
        "unknown": _("Kode wilayah %(code)s tidak dikenal. Pilih dari daftar atau ketik nama wilayah."),
        "level": _("Pilih wilayah sampai tingkat %(level)s."),
        "outside": _("Wilayah %(name)s di luar wilayah kerja Anda."),
    }

    def __init__(self, *, max_level: int = 4, min_level: int = 4, root: str = "",
                 **kwargs: Any) -> None:
        self.max_level = max_level
        self.min_level = min_level
        self.root = root
        kwargs.setdefault("widget", RegionPickerWidget(max_level=max_level, min_level=min_level,
                                                       root=root))
        super().__init__(**kwargs)

    def set_root(self, root: str) -> None:
        self.root = root
        assert isinstance(self.widget, RegionPickerWidget)
        self.widget.root = root

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Region):
            return value.code
        return value

    def to_python(self, value: Any) -> Region | None:
        if value in (None, ""):
            return None
        if isinstance(value, Region):
            return value
        code = normalize(str(value))
        region = Region.objects.filter(pk=code, is_active=True).first() if code else None
        if region is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown",
                                        params={"code": str(value)[:20]})
        return region

    def validate(self, value: Region | None) -> None:
        super().validate(value)
        if value is None:
            return
        if not self.min_level <= value.level <= self.max_level:
            raise forms.ValidationError(self.error_messages["level"], code="level",
                                        params={"level": LEVEL_LABELS[self.min_level]})
        if self.root and not (value.code == self.root or value.code.startswith(self.root + ".")):
            raise forms.ValidationError(self.error_messages["outside"], code="outside",
                                        params={"name": value.label})


__all__ = ["Level", "RegionField", "RegionPickerWidget", "picker_context"]
