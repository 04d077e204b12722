"""Small template helpers of the public pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key``: a dict look-up in a template (None when absent)."""
    if not mapping:
        return None
    return mapping.get(key)
