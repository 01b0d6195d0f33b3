"""Figures frozen as text (a published report's ``result``) shown in the
reader's notation: ``3.00`` reads ``3,00`` on an Indonesian page."""

from decimal import Decimal, InvalidOperation

from django import template

from kotacerdas.maturity.values import plain

register = template.Library()


@register.filter
def number(value):
    """The Decimal of a numeric string, which the template then localizes;
    anything else unchanged."""
    if value is None or value == "" or isinstance(value, (int, Decimal)):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value


@register.filter
def figure(value):
    """An indicator's value without trailing zeros, in the reader's notation
    (``37,5`` rather than ``37,5000``); empty values stay empty."""
    if value is None or value == "":
        return value
    try:
        return plain(Decimal(str(value)))
    except InvalidOperation:
        return value
