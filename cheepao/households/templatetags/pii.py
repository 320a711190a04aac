from django import template

from cheepao.households import pii

register = template.Library()
register.filter("masked_pin", pii.mask_pin)
register.filter("pin", pii.format_pin)
